//! The contract's ABI, generated at compile time from its Rust types.
//!
//! Every type with an [`AbiType`](crate::AbiType) carries a constant
//! [`Type`] tree; [`entry!`](crate::entry) describes each entry point
//! ([`Entry`]: name, argument type, result type, read-only flag, doc
//! comment), [`events!`](crate::events) each event, [`table!`](crate::table)
//! each table. [`abi!`](crate::abi) gathers them into a [`Contract`] and
//! writes its JSON with the `const fn`s [`json_len`] and [`json`], so the
//! `vsys_abi` custom section of the wasm module is computed by the compiler
//! from the very types the entry points decode and encode: the ABI cannot
//! disagree with the code, and it is byte-identical across builds (it
//! depends on the declarations only, in their order).
//!
//! The JSON is the format the chain reads (`core/abi`):
//!
//! ```text
//! {"name":"counter","init":"struct{start:u64}","migrate":"struct{}",
//!  "methods":[{"name":"get","args":"struct{}","result":"u64","readonly":true,"doc":"…"},…],
//!  "events":[{"name":"incremented","type":"struct{value:u64}"}],
//!  "tables":[{"name":"items","row":"struct{…}","primary_key":["id"],"indexes":[{"name":"by_owner","columns":["owner"],"unique":false}]}]}
//! ```
//!
//! `init` and `migrate` are keys of their own (their argument types), not
//! methods; `doc` is left out when empty; `tables` (information for clients,
//! ignored by the chain) is left out when there are none. Compile-time
//! checks (a build error, not a runtime one): method and event names are
//! unique and non-empty, arguments and event data are structs, `init` and
//! `migrate` are not `#[view]`.

use alloc::string::String;
use core::fmt;

/// A type of the canonical encoding (docs/encoding.md), as a constant tree.
#[derive(Debug, PartialEq, Eq)]
pub enum Type {
    Bool,
    U8,
    U16,
    U32,
    U64,
    I64,
    U128,
    String,
    Bytes,
    Address,
    List(&'static Type),
    Option(&'static Type),
    Struct(&'static [Field]),
}

/// A named field of a struct type.
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: &'static Type,
}

impl Type {
    /// The empty struct `struct{}` (the arguments of a method without any).
    pub const UNIT: &'static Type = &Type::Struct(&[]);

    const fn keyword(&self) -> &'static str {
        match self {
            Type::Bool => "bool",
            Type::U8 => "u8",
            Type::U16 => "u16",
            Type::U32 => "u32",
            Type::U64 => "u64",
            Type::I64 => "i64",
            Type::U128 => "u128",
            Type::String => "string",
            Type::Bytes => "bytes",
            Type::Address => "address",
            Type::List(_) => "list",
            Type::Option(_) => "option",
            Type::Struct(_) => "struct",
        }
    }

    /// True for `struct{...}`.
    pub const fn is_struct(&self) -> bool {
        matches!(self, Type::Struct(_))
    }
}

/// The type's text form (`u64`, `list<string>`, `struct{to:address}`).
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::List(e) | Type::Option(e) => write!(f, "{}<{}>", self.keyword(), e),
            Type::Struct(fields) => {
                f.write_str("struct{")?;
                for (i, fl) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{}:{}", fl.name, fl.ty)?;
                }
                f.write_str("}")
            }
            _ => f.write_str(self.keyword()),
        }
    }
}

impl Type {
    /// The text form as a String.
    pub fn text(&self) -> String {
        alloc::format!("{}", self)
    }
}

/// One entry point declared with [`entry!`](crate::entry).
#[derive(Debug)]
pub struct Entry {
    pub name: &'static str,
    pub args: &'static Type,
    pub result: &'static Type,
    /// Declared `#[view]`: the chain runs it read-only.
    pub readonly: bool,
    /// The doc comment, as written (`///` lines joined by newlines).
    pub doc: &'static str,
}

/// One event declared with [`events!`](crate::events).
#[derive(Debug)]
pub struct EventDesc {
    pub name: &'static str,
    pub ty: &'static Type,
}

/// A secondary index of a [`TableDesc`].
#[derive(Debug)]
pub struct IndexDesc {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub unique: bool,
}

/// A table declared with [`table!`](crate::table).
#[derive(Debug)]
pub struct TableDesc {
    pub name: &'static str,
    /// The row type (a struct of the columns in order).
    pub row: &'static Type,
    pub primary_key: &'static [&'static str],
    pub indexes: &'static [IndexDesc],
}

/// A whole contract's interface: what [`abi!`](crate::abi) writes.
#[derive(Debug)]
pub struct Contract {
    pub name: &'static str,
    pub entries: &'static [Entry],
    pub events: &'static [EventDesc],
    pub tables: &'static [&'static TableDesc],
}

/// Gives the `Ok` type of an entry point's `Result<R, E>` (its ABI result).
pub trait EntryResult {
    type Ok;
}
impl<R, E> EntryResult for core::result::Result<R, E> {
    type Ok = R;
}

/// What `abi!` uses when the contract has no `entry!` / `events!` at its
/// root: explicit items shadow these glob-imported ones.
#[doc(hidden)]
pub mod defaults {
    #[allow(dead_code)]
    pub const __VSYS_ENTRIES: &[super::Entry] = &[];
    #[allow(dead_code)]
    pub const __VSYS_EVENTS: &[super::EventDesc] = &[];
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn is_special(name: &str) -> bool {
    str_eq(name, "init") || str_eq(name, "migrate")
}

/// Writes JSON into a fixed array; with `N == 0` it only counts bytes, so
/// the same code computes the length and then the bytes.
struct W<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> W<N> {
    const fn byte(mut self, b: u8) -> Self {
        if N != 0 {
            self.buf[self.len] = b;
        }
        self.len += 1;
        self
    }
    const fn raw(mut self, s: &str) -> Self {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            self = self.byte(b[i]);
            i += 1;
        }
        self
    }
    /// A JSON string body: escapes `"`, `\` and control characters.
    const fn esc_bytes(mut self, b: &[u8], from: usize, to: usize) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut i = from;
        while i < to {
            let c = b[i];
            if c == b'"' || c == b'\\' {
                self = self.byte(b'\\').byte(c);
            } else if c < 0x20 {
                self = self.raw("\\u00").byte(HEX[(c >> 4) as usize]).byte(HEX[(c & 15) as usize]);
            } else {
                self = self.byte(c);
            }
            i += 1;
        }
        self
    }
    const fn string(self, s: &str) -> Self {
        let b = s.as_bytes();
        self.byte(b'"').esc_bytes(b, 0, b.len()).byte(b'"')
    }
    /// A doc comment as one line: each `///` line trimmed, empty lines
    /// dropped, the rest joined with single spaces.
    const fn doc(mut self, s: &str) -> Self {
        let b = s.as_bytes();
        self = self.byte(b'"');
        let mut first = true;
        let mut i = 0;
        while i < b.len() {
            let mut end = i;
            while end < b.len() && b[end] != b'\n' {
                end += 1;
            }
            let (mut s0, mut e0) = (i, end);
            while s0 < e0 && (b[s0] == b' ' || b[s0] == b'\t' || b[s0] == b'\r') {
                s0 += 1;
            }
            while e0 > s0 && (b[e0 - 1] == b' ' || b[e0 - 1] == b'\t' || b[e0 - 1] == b'\r') {
                e0 -= 1;
            }
            if e0 > s0 {
                if !first {
                    self = self.byte(b' ');
                }
                first = false;
                self = self.esc_bytes(b, s0, e0);
            }
            i = end + 1;
        }
        self.byte(b'"')
    }
    const fn ty(self, t: &Type) -> Self {
        match t {
            Type::List(e) | Type::Option(e) => self.raw(t.keyword()).byte(b'<').ty(e).byte(b'>'),
            Type::Struct(fields) => {
                let mut w = self.raw("struct{");
                let mut i = 0;
                while i < fields.len() {
                    if i > 0 {
                        w = w.byte(b',');
                    }
                    w = w.raw(fields[i].name).byte(b':').ty(fields[i].ty);
                    i += 1;
                }
                w.byte(b'}')
            }
            _ => self.raw(t.keyword()),
        }
    }
    const fn type_string(self, t: &Type) -> Self {
        // type text never needs escaping: identifiers and punctuation only
        self.byte(b'"').ty(t).byte(b'"')
    }
    const fn names(mut self, names: &[&str]) -> Self {
        self = self.byte(b'[');
        let mut i = 0;
        while i < names.len() {
            if i > 0 {
                self = self.byte(b',');
            }
            self = self.string(names[i]);
            i += 1;
        }
        self.byte(b']')
    }
    const fn contract(mut self, c: &Contract) -> Self {
        check(c);
        self = self.raw("{\"name\":").string(c.name);
        // init and migrate: their argument types under keys of their own
        let mut i = 0;
        while i < c.entries.len() {
            if str_eq(c.entries[i].name, "init") {
                self = self.raw(",\"init\":").type_string(c.entries[i].args);
            }
            i += 1;
        }
        i = 0;
        while i < c.entries.len() {
            if str_eq(c.entries[i].name, "migrate") {
                self = self.raw(",\"migrate\":").type_string(c.entries[i].args);
            }
            i += 1;
        }
        self = self.raw(",\"methods\":[");
        let mut n = 0;
        i = 0;
        while i < c.entries.len() {
            let e = &c.entries[i];
            i += 1;
            if is_special(e.name) {
                continue;
            }
            if n > 0 {
                self = self.byte(b',');
            }
            n += 1;
            self = self.raw("{\"name\":").string(e.name);
            self = self.raw(",\"args\":").type_string(e.args);
            self = self.raw(",\"result\":").type_string(e.result);
            self = self.raw(",\"readonly\":").raw(if e.readonly { "true" } else { "false" });
            let d = W::<0> { buf: [], len: 0 }.doc(e.doc);
            if d.len > 2 {
                self = self.raw(",\"doc\":").doc(e.doc);
            }
            self = self.byte(b'}');
        }
        self = self.raw("],\"events\":[");
        i = 0;
        while i < c.events.len() {
            if i > 0 {
                self = self.byte(b',');
            }
            self = self.raw("{\"name\":").string(c.events[i].name);
            self = self.raw(",\"type\":").type_string(c.events[i].ty).byte(b'}');
            i += 1;
        }
        self = self.byte(b']');
        if !c.tables.is_empty() {
            self = self.raw(",\"tables\":[");
            i = 0;
            while i < c.tables.len() {
                let t = c.tables[i];
                if i > 0 {
                    self = self.byte(b',');
                }
                self = self.raw("{\"name\":").string(t.name);
                self = self.raw(",\"row\":").type_string(t.row);
                self = self.raw(",\"primary_key\":").names(t.primary_key);
                self = self.raw(",\"indexes\":[");
                let mut j = 0;
                while j < t.indexes.len() {
                    let x = &t.indexes[j];
                    if j > 0 {
                        self = self.byte(b',');
                    }
                    self = self.raw("{\"name\":").string(x.name);
                    self = self.raw(",\"columns\":").names(x.columns);
                    self = self.raw(",\"unique\":").raw(if x.unique { "true" } else { "false" }).byte(b'}');
                    j += 1;
                }
                self = self.raw("]}");
                i += 1;
            }
            self = self.byte(b']');
        }
        self.byte(b'}')
    }
}

/// The rules the chain checks when it loads the ABI (core/abi Validate and
/// vm), checked here at compile time so a bad ABI is a build error.
const fn check(c: &Contract) {
    let mut i = 0;
    while i < c.entries.len() {
        let e = &c.entries[i];
        if e.name.is_empty() {
            panic!("vsys abi: an entry point without a name");
        }
        if !e.args.is_struct() {
            panic!("vsys abi: an entry point's argument must be a struct (a vsys_struct! type or ())");
        }
        if is_special(e.name) && e.readonly {
            panic!("vsys abi: init and migrate cannot be #[view]");
        }
        let mut j = i + 1;
        while j < c.entries.len() {
            if str_eq(e.name, c.entries[j].name) {
                panic!("vsys abi: two entry points with the same name");
            }
            j += 1;
        }
        i += 1;
    }
    i = 0;
    while i < c.events.len() {
        let e = &c.events[i];
        if e.name.is_empty() || !e.ty.is_struct() {
            panic!("vsys abi: an event needs a name and a struct type");
        }
        let mut j = i + 1;
        while j < c.events.len() {
            if str_eq(e.name, c.events[j].name) {
                panic!("vsys abi: two events with the same name");
            }
            j += 1;
        }
        i += 1;
    }
}

/// The length of `c`'s JSON.
pub const fn json_len(c: &Contract) -> usize {
    W::<0> { buf: [], len: 0 }.contract(c).len
}

/// `c`'s JSON; `N` must be [`json_len`]`(c)`.
pub const fn json<const N: usize>(c: &Contract) -> [u8; N] {
    let w = W::<N> { buf: [0; N], len: 0 }.contract(c);
    if w.len != N {
        panic!("vsys abi: json length mismatch");
    }
    w.buf
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AbiType;

    crate::vsys_struct! {
        struct Stats { wins: u64, losses: u64 }
        struct Swapped { losses: u64, wins: u64 }
        struct Args { who: crate::Address, memo: Option<alloc::string::String>, tags: alloc::vec::Vec<crate::Bytes> }
    }

    const ENTRIES: &[Entry] = &[
        Entry { name: "init", args: <Args as AbiType>::TYPE, result: Type::UNIT, readonly: false, doc: "" },
        Entry { name: "stats", args: Type::UNIT, result: <Stats as AbiType>::TYPE, readonly: true, doc: " Wins and \"losses\".\n\n  Second line. \n" },
        Entry { name: "migrate", args: Type::UNIT, result: Type::UNIT, readonly: false, doc: "" },
        Entry { name: "reset", args: Type::UNIT, result: Type::UNIT, readonly: false, doc: "" },
    ];
    const EVENTS: &[EventDesc] = &[EventDesc { name: "ev", ty: <Swapped as AbiType>::TYPE }];
    const ROW: TableDesc = TableDesc {
        name: "t",
        row: <Stats as AbiType>::TYPE,
        primary_key: &["wins"],
        indexes: &[IndexDesc { name: "by_l", columns: &["losses", "wins"], unique: true }],
    };
    const C: Contract = Contract { name: "demo", entries: ENTRIES, events: EVENTS, tables: &[&ROW] };
    const LEN: usize = json_len(&C);
    const JSON: [u8; LEN] = json::<LEN>(&C);

    #[test]
    fn golden_json() {
        let s = core::str::from_utf8(&JSON).unwrap();
        assert_eq!(
            s,
            concat!(
                r#"{"name":"demo","init":"struct{who:address,memo:option<string>,tags:list<bytes>}","migrate":"struct{}","#,
                r#""methods":[{"name":"stats","args":"struct{}","result":"struct{wins:u64,losses:u64}","readonly":true,"doc":"Wins and \"losses\". Second line."},"#,
                r#"{"name":"reset","args":"struct{}","result":"struct{}","readonly":false}],"#,
                r#""events":[{"name":"ev","type":"struct{losses:u64,wins:u64}"}],"#,
                r#""tables":[{"name":"t","row":"struct{wins:u64,losses:u64}","primary_key":["wins"],"indexes":[{"name":"by_l","columns":["losses","wins"],"unique":true}]}]}"#
            )
        );
        crate::testing::parse_json(s).unwrap();
    }

    /// The bug of hand-written ABIs: two u64 fields swapped in the JSON
    /// decoded one as the other with no error. A generated ABI follows the
    /// declaration, so the ABI of the swapped struct differs too.
    #[test]
    fn field_order_follows_the_declaration() {
        assert_eq!(Stats::abi_type(), "struct{wins:u64,losses:u64}");
        assert_eq!(Swapped::abi_type(), "struct{losses:u64,wins:u64}");
        assert_eq!(crate::encode_to_vec(&Stats { wins: 1, losses: 2 })[0], 1);
        assert_eq!(crate::encode_to_vec(&Swapped { losses: 2, wins: 1 })[0], 2);
    }

    #[test]
    fn escapes_control_characters() {
        const E: &[Entry] = &[Entry { name: "a\"b", args: Type::UNIT, result: Type::UNIT, readonly: false, doc: "tab\there \\ \u{1}" }];
        const C2: Contract = Contract { name: "x\ny", entries: E, events: &[], tables: &[] };
        const N: usize = json_len(&C2);
        let j = json::<N>(&C2);
        let s = core::str::from_utf8(&j).unwrap();
        assert_eq!(
            s,
            r#"{"name":"x\u000ay","methods":[{"name":"a\"b","args":"struct{}","result":"struct{}","readonly":false,"doc":"tab\u0009here \\ \u0001"}],"events":[]}"#
        );
        crate::testing::parse_json(s).unwrap();
    }
}

#[cfg(test)]
mod compat {
    // the deprecated hand-written form still builds
    crate::abi!("{\"name\":\"x\",\"methods\":[],\"events\":[]}");

    #[test]
    fn hand_written_abi() {
        assert_eq!(ABI_JSON, "{\"name\":\"x\",\"methods\":[],\"events\":[]}");
    }
}
