//! The order-preserving key encoding of [`Map`](crate::Map) keys.
//!
//! A map stores the value of key `k` under `prefix ‖ key(k)`, and the
//! chain's store iterates keys in byte order. `key(k)` is chosen so that
//! byte order is the keys' natural order (as cw-storage-plus does with
//! big-endian integers), and it is the same encoding the database module
//! uses for its rows and indexes (`core/dblayout/keys.go`):
//!
//! | type | key encoding |
//! |---|---|
//! | `bool` | `0x00` (false) or `0x01` (true) |
//! | `u8` `u16` `u32` `u64` `u128` | big-endian, fixed width (1, 2, 4, 8, 16 bytes) |
//! | `i64` | 8 bytes big-endian with the sign bit flipped: `i64::MIN` is `00…00`, `-1 < 0 < 1` |
//! | [`Address`] | the 20 bytes |
//! | `String`, [`Bytes`] | the bytes with each `0x00` written `0x00 0xFF`, then the terminator `0x00 0x00` |
//! | `Option<T>` | `0x00` for `None`; `0x01` then `key(T)` (`None` first) |
//! | `(A, B)`, `(A, B, C)`, `(A, B, C, D)` | `key(A) ‖ key(B) ‖ …` |
//!
//! Every encoding is prefix-free (no key is a proper prefix of another key
//! of the same type), so a tuple is the plain concatenation of its
//! elements, compares element by element, and the key of its first
//! elements is a prefix of its key: [`Map::iter_prefix`](crate::Map::iter_prefix)`(&a)`
//! on a `Map<(A, B), V>` yields the entries whose first element is `a`,
//! ordered by `B`. Strings order by bytes (`"a" < "a\0" < "ab" < "b"`), not
//! by length.
//!
//! This is not the value encoding of docs/encoding.md (little-endian
//! integers, length-prefixed strings): keys are never decoded by the chain,
//! only ordered, and values are never ordered.

use crate::encoding::{Bytes, Error};
use crate::Address;
use alloc::string::String;
use alloc::vec::Vec;

/// A type that can be a [`Map`](crate::Map) key: an order-preserving,
/// prefix-free encoding (see the [module](self) docs).
pub trait Key: Sized {
    /// Appends the key encoding of `self`.
    fn encode_key(&self, out: &mut Vec<u8>);
    /// Reads one key-encoded value from the front of `r`.
    fn decode_key(r: &mut KeyReader<'_>) -> Result<Self, Error>;
}

/// The key encoding of `k`.
pub fn key_to_vec<K: Key>(k: &K) -> Vec<u8> {
    let mut out = Vec::new();
    k.encode_key(&mut out);
    out
}

/// Decodes exactly one key: trailing bytes are an error.
pub fn key_from_slice<K: Key>(b: &[u8]) -> Result<K, Error> {
    let mut r = KeyReader { data: b, pos: 0 };
    let k = K::decode_key(&mut r)?;
    if r.pos != b.len() {
        return Err(Error { offset: r.pos, what: "trailing bytes in key" });
    }
    Ok(k)
}

/// Reads key-encoded values, tracking the offset for errors.
pub struct KeyReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> KeyReader<'a> {
    fn error(&self, what: &'static str) -> Error {
        Error { offset: self.pos, what }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.data.len() - self.pos {
            return Err(self.error("unexpected end of key"));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    /// An escaped, terminated byte string.
    fn escaped(&mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        loop {
            let c = self.take(1)?[0];
            if c != 0 {
                out.push(c);
                continue;
            }
            match self.take(1)?[0] {
                0 => return Ok(out),
                0xff => out.push(0),
                _ => {
                    self.pos -= 1;
                    return Err(self.error("bad escape in key"));
                }
            }
        }
    }
}

fn push_escaped(out: &mut Vec<u8>, b: &[u8]) {
    for &c in b {
        if c == 0 {
            out.extend_from_slice(&[0, 0xff]);
        } else {
            out.push(c);
        }
    }
    out.extend_from_slice(&[0, 0]);
}

macro_rules! uint_key {
    ($($t:ty),*) => {$(
        impl Key for $t {
            fn encode_key(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_be_bytes());
            }
            fn decode_key(r: &mut KeyReader<'_>) -> Result<Self, Error> {
                Ok(<$t>::from_be_bytes(r.array()?))
            }
        }
    )*};
}
uint_key!(u8, u16, u32, u64, u128);

impl Key for i64 {
    fn encode_key(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&((*self as u64) ^ (1 << 63)).to_be_bytes());
    }
    fn decode_key(r: &mut KeyReader<'_>) -> Result<Self, Error> {
        Ok((u64::from_be_bytes(r.array()?) ^ (1 << 63)) as i64)
    }
}

impl Key for bool {
    fn encode_key(&self, out: &mut Vec<u8>) {
        out.push(*self as u8);
    }
    fn decode_key(r: &mut KeyReader<'_>) -> Result<Self, Error> {
        match r.take(1)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => {
                r.pos -= 1;
                Err(r.error("bool key other than 0 or 1"))
            }
        }
    }
}

impl Key for Address {
    fn encode_key(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0);
    }
    fn decode_key(r: &mut KeyReader<'_>) -> Result<Self, Error> {
        Ok(Address(r.array()?))
    }
}

impl Key for String {
    fn encode_key(&self, out: &mut Vec<u8>) {
        push_escaped(out, self.as_bytes());
    }
    fn decode_key(r: &mut KeyReader<'_>) -> Result<Self, Error> {
        let at = r.pos;
        String::from_utf8(r.escaped()?).map_err(|_| Error { offset: at, what: "invalid UTF-8 in key" })
    }
}

impl Key for Bytes {
    fn encode_key(&self, out: &mut Vec<u8>) {
        push_escaped(out, &self.0);
    }
    fn decode_key(r: &mut KeyReader<'_>) -> Result<Self, Error> {
        Ok(Bytes(r.escaped()?))
    }
}

impl<T: Key> Key for Option<T> {
    fn encode_key(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.encode_key(out);
            }
        }
    }
    fn decode_key(r: &mut KeyReader<'_>) -> Result<Self, Error> {
        match r.take(1)?[0] {
            0 => Ok(None),
            1 => Ok(Some(T::decode_key(r)?)),
            _ => {
                r.pos -= 1;
                Err(r.error("option key tag other than 0 or 1"))
            }
        }
    }
}

macro_rules! tuple_key {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Key),+> Key for ($($t,)+) {
            fn encode_key(&self, out: &mut Vec<u8>) {
                $( self.$i.encode_key(out); )+
            }
            fn decode_key(r: &mut KeyReader<'_>) -> Result<Self, Error> {
                Ok(($($t::decode_key(r)?,)+))
            }
        }
    };
}
tuple_key!(A 0, B 1);
tuple_key!(A 0, B 1, C 2);
tuple_key!(A 0, B 1, C 2, D 3);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn golden() {
        assert_eq!(key_to_vec(&0x0102_0304_0506_0708u64), vec![1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(key_to_vec(&258u16), vec![1, 2]);
        assert_eq!(key_to_vec(&7u8), vec![7]);
        assert_eq!(key_to_vec(&((5u128 << 64) | 9)), vec![0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 9]);
        assert_eq!(key_to_vec(&0i64), vec![0x80, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(key_to_vec(&-1i64), vec![0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(key_to_vec(&i64::MIN), vec![0; 8]);
        assert_eq!(key_to_vec(&true), vec![1]);
        assert_eq!(key_to_vec(&String::from("ab")), vec![b'a', b'b', 0, 0]);
        assert_eq!(key_to_vec(&String::from("a\0b")), vec![b'a', 0, 0xff, b'b', 0, 0]);
        assert_eq!(key_to_vec(&Bytes(vec![])), vec![0, 0]);
        assert_eq!(key_to_vec(&Some(3u8)), vec![1, 3]);
        assert_eq!(key_to_vec(&Option::<u8>::None), vec![0]);
        assert_eq!(key_to_vec(&Address::module(1))[19], 1);
        assert_eq!(key_to_vec(&(String::from("x"), 1u32)), vec![b'x', 0, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn roundtrip_and_strict() {
        let k = (String::from("a\0\u{e9}"), -5i64, Some(Bytes(vec![0, 0, 1])));
        assert_eq!(key_from_slice::<(String, i64, Option<Bytes>)>(&key_to_vec(&k)), Ok(k));
        assert_eq!(key_from_slice::<u16>(&[1]).unwrap_err().what, "unexpected end of key");
        assert_eq!(key_from_slice::<u8>(&[1, 2]).unwrap_err().what, "trailing bytes in key");
        assert_eq!(key_from_slice::<String>(&[b'a', 0, 1]).unwrap_err(), Error { offset: 2, what: "bad escape in key" });
        assert_eq!(key_from_slice::<String>(&[b'a']).unwrap_err().what, "unexpected end of key");
        assert_eq!(key_from_slice::<String>(&[0xff, 0, 0]).unwrap_err().what, "invalid UTF-8 in key");
        assert_eq!(key_from_slice::<bool>(&[2]).unwrap_err().what, "bool key other than 0 or 1");
        assert_eq!(key_from_slice::<Option<u8>>(&[2]).unwrap_err().what, "option key tag other than 0 or 1");
    }

    /// Byte order of the keys is the order of the values.
    fn assert_order<K: Key + Ord + core::fmt::Debug>(mut v: Vec<K>) {
        v.sort();
        for w in v.windows(2) {
            assert!(key_to_vec(&w[0]) < key_to_vec(&w[1]), "{:?} !< {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn bytes_order_is_value_order() {
        assert_order(vec![0u64, 1, 255, 256, 65_535, 1 << 40, u64::MAX]);
        assert_order(vec![i64::MIN, -256, -1, 0, 1, 255, 256, i64::MAX]);
        assert_order(vec![0u128, 1, 1 << 64, u128::MAX]);
        let s = |x: &str| String::from(x);
        assert_order(vec![s(""), s("\0"), s("a"), s("a\0"), s("a\0\0"), s("a\u{1}"), s("ab"), s("b"), s("\u{ff}")]);
        assert_order(vec![(s("a"), 2u64), (s("a"), 10), (s("a\0"), 0), (s("ab"), 1), (s("b"), 0)]);
        assert_order(vec![None, Some(0u8), Some(1)]);
    }
}
