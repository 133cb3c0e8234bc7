//! The canonical binary encoding of docs/encoding.md.
//!
//! | type | Rust |
//! |---|---|
//! | `bool` `u8` `u16` `u32` `u64` `i64` `u128` | the same Rust type |
//! | `string` | `String` |
//! | `bytes` | [`Bytes`] (a `Vec<u8>` newtype) |
//! | `address` | [`Address`](crate::Address) |
//! | `list<T>` | `Vec<T>` (so `Vec<u8>` is `list<u8>`, which encodes like `bytes`) |
//! | `option<T>` | `Option<T>` |
//! | `struct{...}` | a struct declared with [`vsys_struct!`](crate::vsys_struct); `()` is `struct{}` |
//!
//! Decoding is strict: [`decode_all`] refuses trailing bytes, truncation, bool
//! and option tags other than 0/1, invalid UTF-8 and list counts the rest of
//! the input cannot hold.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// A malformed encoding: what was wrong and at which byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub offset: usize,
    pub what: &'static str,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed encoding at offset {}: {}", self.offset, self.what)
    }
}

/// Appends encoded values to a byte vector.
#[derive(Default, Clone, Debug)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Writer { buf: Vec::new() }
    }
    pub fn with_capacity(n: usize) -> Self {
        Writer { buf: Vec::with_capacity(n) }
    }
    /// Appends raw bytes (no length prefix).
    pub fn raw(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    /// Appends a u32 length/count prefix.
    pub fn len_prefix(&mut self, n: usize) {
        assert!(n <= u32::MAX as usize, "length exceeds u32");
        self.raw(&(n as u32).to_le_bytes());
    }
    pub fn as_slice(&self) -> &[u8] {
        &self.buf
    }
    pub fn into_vec(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads encoded values from a byte slice, tracking the offset for errors.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }
    pub fn offset(&self) -> usize {
        self.pos
    }
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }
    pub fn error(&self, what: &'static str) -> Error {
        Error { offset: self.pos, what }
    }
    /// Takes the next n raw bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.remaining() {
            return Err(self.error("unexpected end of input"));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    /// Reads a u32 count of items each at least `min_size` bytes long and
    /// checks that the remaining input can hold them.
    pub fn count(&mut self, min_size: usize) -> Result<usize, Error> {
        let at = self.pos;
        let n = u32::from_le_bytes(self.array()?) as usize;
        let need = n.checked_mul(if min_size == 0 { 1 } else { min_size });
        match need {
            Some(need) if need <= self.remaining() => Ok(n),
            _ => Err(Error { offset: at, what: "count larger than the remaining input" }),
        }
    }
    /// Fails unless every byte was consumed.
    pub fn finish(&self) -> Result<(), Error> {
        if self.remaining() != 0 {
            return Err(self.error("trailing bytes"));
        }
        Ok(())
    }
}

/// A value with a canonical encoding.
pub trait Encode {
    fn encode(&self, w: &mut Writer);
}

/// A value that can be decoded from its canonical encoding.
pub trait Decode: Sized {
    /// The fewest bytes a value encodes to (bounds list counts).
    const MIN_SIZE: usize;
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error>;
}

/// A type of the ABI: its [`Type`](crate::abi::Type) tree, a constant, so
/// that [`abi!`](crate::abi) writes the ABI JSON at compile time.
pub trait AbiType {
    /// The type, as a constant tree.
    const TYPE: &'static crate::abi::Type;
    /// The type's text form in ABIs (`u64`, `list<string>`, `struct{to:address}`).
    fn abi_type() -> String {
        Self::TYPE.text()
    }
}

/// Encodes one value.
pub fn encode_to_vec<T: Encode + ?Sized>(v: &T) -> Vec<u8> {
    let mut w = Writer::new();
    v.encode(&mut w);
    w.into_vec()
}

/// Decodes exactly one value: trailing bytes are an error.
pub fn decode_all<T: Decode>(data: &[u8]) -> Result<T, Error> {
    let mut r = Reader::new(data);
    let v = T::decode(&mut r)?;
    r.finish()?;
    Ok(v)
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, w: &mut Writer) {
        (**self).encode(w)
    }
}

macro_rules! int_impl {
    ($($t:ty => $name:ident),*) => {$(
        impl Encode for $t {
            fn encode(&self, w: &mut Writer) {
                w.raw(&self.to_le_bytes());
            }
        }
        impl Decode for $t {
            const MIN_SIZE: usize = core::mem::size_of::<$t>();
            fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
                Ok(<$t>::from_le_bytes(r.array()?))
            }
        }
        impl AbiType for $t {
            const TYPE: &'static crate::abi::Type = &crate::abi::Type::$name;
        }
    )*};
}
int_impl!(u8 => U8, u16 => U16, u32 => U32, u64 => U64, i64 => I64, u128 => U128);

impl Encode for bool {
    fn encode(&self, w: &mut Writer) {
        w.raw(&[*self as u8]);
    }
}
impl Decode for bool {
    const MIN_SIZE: usize = 1;
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        match r.take(1)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => {
                r.pos -= 1;
                Err(r.error("bool other than 0 or 1"))
            }
        }
    }
}
impl AbiType for bool {
    const TYPE: &'static crate::abi::Type = &crate::abi::Type::Bool;
}

impl Encode for str {
    fn encode(&self, w: &mut Writer) {
        w.len_prefix(self.len());
        w.raw(self.as_bytes());
    }
}
impl Encode for String {
    fn encode(&self, w: &mut Writer) {
        self.as_str().encode(w)
    }
}
impl Decode for String {
    const MIN_SIZE: usize = 4;
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        let n = r.count(1)?;
        let at = r.offset();
        let b = r.take(n)?;
        match core::str::from_utf8(b) {
            Ok(s) => Ok(String::from(s)),
            Err(_) => Err(Error { offset: at, what: "invalid UTF-8" }),
        }
    }
}
impl AbiType for String {
    const TYPE: &'static crate::abi::Type = &crate::abi::Type::String;
}

/// `bytes`: raw bytes with a u32 length prefix.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        for b in &self.0 {
            write!(f, "{:02x}", b)?;
        }
        Ok(())
    }
}
impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Self {
        Bytes(v)
    }
}
impl From<&[u8]> for Bytes {
    fn from(v: &[u8]) -> Self {
        Bytes(v.to_vec())
    }
}
impl core::ops::Deref for Bytes {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}
impl Encode for Bytes {
    fn encode(&self, w: &mut Writer) {
        w.len_prefix(self.0.len());
        w.raw(&self.0);
    }
}
impl Decode for Bytes {
    const MIN_SIZE: usize = 4;
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        let n = r.count(1)?;
        Ok(Bytes(r.take(n)?.to_vec()))
    }
}
impl AbiType for Bytes {
    const TYPE: &'static crate::abi::Type = &crate::abi::Type::Bytes;
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, w: &mut Writer) {
        self.as_slice().encode(w)
    }
}
impl<T: Encode> Encode for [T] {
    fn encode(&self, w: &mut Writer) {
        w.len_prefix(self.len());
        for x in self {
            x.encode(w);
        }
    }
}
impl<T: Decode> Decode for Vec<T> {
    const MIN_SIZE: usize = 4;
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        let n = r.count(T::MIN_SIZE)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(T::decode(r)?);
        }
        Ok(v)
    }
}
impl<T: AbiType> AbiType for Vec<T> {
    const TYPE: &'static crate::abi::Type = &crate::abi::Type::List(T::TYPE);
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, w: &mut Writer) {
        match self {
            None => w.raw(&[0]),
            Some(v) => {
                w.raw(&[1]);
                v.encode(w);
            }
        }
    }
}
impl<T: Decode> Decode for Option<T> {
    const MIN_SIZE: usize = 1;
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        match r.take(1)?[0] {
            0 => Ok(None),
            1 => Ok(Some(T::decode(r)?)),
            _ => {
                r.pos -= 1;
                Err(r.error("option tag other than 0 or 1"))
            }
        }
    }
}
impl<T: AbiType> AbiType for Option<T> {
    const TYPE: &'static crate::abi::Type = &crate::abi::Type::Option(T::TYPE);
}

/// `()` is the empty struct `struct{}`: zero bytes.
impl Encode for () {
    fn encode(&self, _: &mut Writer) {}
}
impl Decode for () {
    const MIN_SIZE: usize = 0;
    fn decode(_: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(())
    }
}
impl AbiType for () {
    const TYPE: &'static crate::abi::Type = crate::abi::Type::UNIT;
}

/// Tuples encode as a struct of their elements in order (e.g. a multi-column
/// primary key of a [`table!`](crate::table)). They have no [`AbiType`]
/// (a struct type needs field names).
macro_rules! tuple_impl {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Encode),+> Encode for ($($t,)+) {
            fn encode(&self, w: &mut Writer) {
                $( self.$i.encode(w); )+
            }
        }
        impl<$($t: Decode),+> Decode for ($($t,)+) {
            const MIN_SIZE: usize = 0 $( + $t::MIN_SIZE )+;
            fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
                Ok(($($t::decode(r)?,)+))
            }
        }
    };
}
tuple_impl!(A 0, B 1);
tuple_impl!(A 0, B 1, C 2);
tuple_impl!(A 0, B 1, C 2, D 3);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Address;
    use alloc::format;
    use alloc::vec;

    crate::vsys_struct! {
        struct Small { small: u8, port: u16 }
        struct Send { to: Address, amount: u128, memo: Option<String>, tags: Vec<String>, raw: Bytes }
    }

    #[test]
    fn golden() {
        assert_eq!(encode_to_vec(&Small { small: 7, port: 4660 }), vec![0x07, 0x34, 0x12]);
        assert_eq!(Small::abi_type(), "struct{small:u8,port:u16}");
        assert_eq!(
            Send::abi_type(),
            "struct{to:address,amount:u128,memo:option<string>,tags:list<string>,raw:bytes}"
        );
        let u: u128 = (5u128 << 64) | 9;
        let mut want = vec![9, 0, 0, 0, 0, 0, 0, 0, 5];
        want.extend_from_slice(&[0; 7]);
        assert_eq!(encode_to_vec(&u), want);
        assert_eq!(encode_to_vec(&-2i64), vec![0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(encode_to_vec("hé"), vec![3, 0, 0, 0, b'h', 0xc3, 0xa9]);
        assert_eq!(encode_to_vec(&Some(true)), vec![1, 1]);
        assert_eq!(encode_to_vec(&Option::<u8>::None), vec![0]);
        assert_eq!(encode_to_vec(&vec![1u16, 2]), vec![2, 0, 0, 0, 1, 0, 2, 0]);
        assert_eq!(encode_to_vec(&Bytes(vec![9, 8])), vec![2, 0, 0, 0, 9, 8]);
        assert_eq!(encode_to_vec(&()), Vec::<u8>::new());
    }

    #[test]
    fn roundtrip() {
        let v = Send {
            to: Address([7; 20]),
            amount: u128::MAX,
            memo: Some(String::from("hi")),
            tags: vec![String::from("a"), String::new()],
            raw: Bytes(vec![1, 2, 3]),
        };
        let b = encode_to_vec(&v);
        assert_eq!(b.len(), 20 + 16 + 1 + 4 + 2 + 4 + (4 + 1) + 4 + 4 + 3);
        assert_eq!(decode_all::<Send>(&b).unwrap(), v);
        // every truncation fails
        for n in 0..b.len() {
            assert!(decode_all::<Send>(&b[..n]).is_err(), "prefix {}", n);
        }
    }

    #[test]
    fn strict() {
        let e = decode_all::<u8>(&[1, 2]).unwrap_err();
        assert_eq!((e.offset, e.what), (1, "trailing bytes"));
        assert_eq!(decode_all::<bool>(&[2]).unwrap_err().what, "bool other than 0 or 1");
        assert_eq!(decode_all::<Option<u8>>(&[2, 1]).unwrap_err().what, "option tag other than 0 or 1");
        assert_eq!(decode_all::<String>(&[2, 0, 0, 0, 0xff, 0xfe]).unwrap_err(), Error { offset: 4, what: "invalid UTF-8" });
        assert_eq!(decode_all::<Vec<u128>>(&[1, 0, 0, 0, 1, 2]).unwrap_err().what, "count larger than the remaining input");
        assert_eq!(decode_all::<Vec<u8>>(&[0xff, 0xff, 0xff, 0xff]).unwrap_err().offset, 0);
        assert!(decode_all::<Vec<()>>(&[5, 0, 0, 0]).is_err());
        assert_eq!(decode_all::<Vec<u16>>(&[1, 0, 0, 0, 5, 0]).unwrap(), vec![5]);
        assert!(decode_all::<()>(&[0]).is_err());
        assert_eq!(format!("{}", decode_all::<u16>(&[1]).unwrap_err()), "malformed encoding at offset 0: unexpected end of input");
    }
}
