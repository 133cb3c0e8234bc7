//! An in-memory database module for the mock host (see [`crate::db`]).
//!
//! Same arguments, results, row/key/prefix encodings, ownership and scan
//! order as the chain's module; the cursor is this mock's own format (the
//! encoded sort key of the last row returned). Its state is part of the
//! mock's state, so a failed call reverts its table writes.

use super::{with, Address, NativeCall};
use crate::db::{
    AlterTableArgs, Column, CreateTableArgs, GrantArgs, Index, KeyArgs, OwnerArgs, QueryArgs, QueryResult, RowArgs, Schema,
    TableArgs, DEFAULT_LIMIT, MAX_LIMIT,
};
use crate::encoding::{decode_all, encode_to_vec, Bytes, Decode, Reader};
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A column type.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ty {
    Bool,
    U8,
    U16,
    U32,
    U64,
    I64,
    U128,
    Str,
    Bytes,
    Addr,
    Opt(Box<Ty>),
    List(Box<Ty>),
    Struct(Vec<Ty>),
}

impl Ty {
    /// Primary-key columns: bool, integers, string, bytes, address.
    fn keyable(&self) -> bool {
        !matches!(self, Ty::Opt(_) | Ty::List(_) | Ty::Struct(_))
    }
    /// Index columns and range filters: keyable or option<keyable>.
    fn indexable(&self) -> bool {
        match self {
            Ty::Opt(t) => t.keyable(),
            t => t.keyable(),
        }
    }
    fn min_size(&self) -> usize {
        match self {
            Ty::Bool | Ty::U8 => 1,
            Ty::U16 => 2,
            Ty::U32 => 4,
            Ty::U64 | Ty::I64 => 8,
            Ty::U128 => 16,
            Ty::Str | Ty::Bytes | Ty::List(_) => 4,
            Ty::Addr => 20,
            Ty::Opt(_) => 1,
            Ty::Struct(f) => f.iter().map(|t| t.min_size()).sum(),
        }
    }
}

struct TyParser<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> TyParser<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn word(&mut self) -> &'a str {
        self.ws();
        let s = self.i;
        while self.i < self.b.len() && (self.b[self.i].is_ascii_alphanumeric() || self.b[self.i] == b'_') {
            self.i += 1;
        }
        core::str::from_utf8(&self.b[s..self.i]).unwrap_or("")
    }
    fn eat(&mut self, c: u8) -> Result<(), String> {
        self.ws();
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected '{}'", c as char))
        }
    }
    fn ty(&mut self, depth: usize) -> Result<Ty, String> {
        if depth > 32 {
            return Err(String::from("type nested too deeply"));
        }
        Ok(match self.word() {
            "bool" => Ty::Bool,
            "u8" => Ty::U8,
            "u16" => Ty::U16,
            "u32" => Ty::U32,
            "u64" => Ty::U64,
            "i64" => Ty::I64,
            "u128" => Ty::U128,
            "string" => Ty::Str,
            "bytes" => Ty::Bytes,
            "address" => Ty::Addr,
            "option" => {
                self.eat(b'<')?;
                let t = self.ty(depth + 1)?;
                self.eat(b'>')?;
                Ty::Opt(Box::new(t))
            }
            "list" => {
                self.eat(b'<')?;
                let t = self.ty(depth + 1)?;
                self.eat(b'>')?;
                if t.min_size() == 0 {
                    return Err(String::from("list of a zero-size type"));
                }
                Ty::List(Box::new(t))
            }
            "struct" => {
                self.eat(b'{')?;
                let mut fields = Vec::new();
                let mut names = BTreeSet::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Ty::Struct(fields));
                }
                loop {
                    let n = self.word();
                    if n.is_empty() || !names.insert(n) {
                        return Err(String::from("bad or duplicate field name"));
                    }
                    self.eat(b':')?;
                    fields.push(self.ty(depth + 1)?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            break;
                        }
                        _ => return Err(String::from("expected ',' or '}'")),
                    }
                }
                Ty::Struct(fields)
            }
            w => return Err(format!("no type {:?}", w)),
        })
    }
}

fn parse_ty(s: &str) -> Result<Ty, String> {
    let mut p = TyParser { b: s.as_bytes(), i: 0 };
    let t = p.ty(0).map_err(|e| format!("unknown type {:?}: {}", s, e))?;
    p.ws();
    if p.i != p.b.len() {
        return Err(format!("unknown type {:?}: trailing text", s));
    }
    Ok(t)
}

/// A decoded value; the derived order is the scan order (values of one
/// column always have the same variant).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Bool(bool),
    U(u128),
    I(i64),
    Bytes(Vec<u8>),
    Addr([u8; 20]),
    Opt(Option<Box<Value>>),
    List(Vec<Value>),
    Struct(Vec<Value>),
}

fn decode_value(r: &mut Reader<'_>, t: &Ty) -> Result<Value, crate::encoding::Error> {
    Ok(match t {
        Ty::Bool => Value::Bool(bool::decode(r)?),
        Ty::U8 => Value::U(u8::decode(r)? as u128),
        Ty::U16 => Value::U(u16::decode(r)? as u128),
        Ty::U32 => Value::U(u32::decode(r)? as u128),
        Ty::U64 => Value::U(u64::decode(r)? as u128),
        Ty::U128 => Value::U(u128::decode(r)?),
        Ty::I64 => Value::I(i64::decode(r)?),
        Ty::Str => Value::Bytes(String::decode(r)?.into_bytes()),
        Ty::Bytes => Value::Bytes(Bytes::decode(r)?.0),
        Ty::Addr => Value::Addr(Address::decode(r)?.0),
        Ty::Opt(inner) => match r.take(1)?[0] {
            0 => Value::Opt(None),
            1 => Value::Opt(Some(Box::new(decode_value(r, inner)?))),
            _ => return Err(r.error("option tag other than 0 or 1")),
        },
        Ty::List(inner) => {
            let n = r.count(inner.min_size())?;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push(decode_value(r, inner)?);
            }
            Value::List(v)
        }
        Ty::Struct(fields) => {
            let mut v = Vec::with_capacity(fields.len());
            for f in fields {
                v.push(decode_value(r, f)?);
            }
            Value::Struct(v)
        }
    })
}

/// Decodes exactly one value of `t`.
fn decode_one(b: &[u8], t: &Ty, what: &str) -> Result<Value, String> {
    let mut r = Reader::new(b);
    let v = decode_value(&mut r, t).map_err(|e| format!("{}: {}", what, e))?;
    r.finish().map_err(|e| format!("{}: {}", what, e))?;
    Ok(v)
}

/// Decodes consecutive values of `tys` (all of them, exactly).
fn decode_seq(b: &[u8], tys: &[&Ty], what: &str) -> Result<Vec<Value>, String> {
    let mut r = Reader::new(b);
    let mut out = Vec::with_capacity(tys.len());
    for t in tys {
        out.push(decode_value(&mut r, t).map_err(|e| format!("{}: {}", what, e))?);
    }
    r.finish().map_err(|e| format!("{}: {}", what, e))?;
    Ok(out)
}

#[derive(Clone, Debug)]
struct Row {
    vals: Vec<Value>,
    /// Each column's encoding.
    raws: Vec<Vec<u8>>,
    bytes: Vec<u8>,
}

#[derive(Clone, Debug)]
struct Idx {
    name: String,
    cols: Vec<usize>,
    unique: bool,
}

#[derive(Clone, Debug)]
struct Tbl {
    name: String,
    schema: Schema,
    types: Vec<Ty>,
    pk: Vec<usize>,
    indexes: Vec<Idx>,
    /// Primary-key values → row.
    rows: BTreeMap<Vec<Value>, Row>,
    writers: BTreeSet<Address>,
}

/// The mock database's state: tables by (owner, name).
#[derive(Clone, Debug, Default)]
pub(crate) struct Db {
    tables: BTreeMap<(Address, String), Tbl>,
}

// The chain's limits (modules/database/schema.go).
pub const MAX_NAME_LEN: usize = 64;
pub const MAX_COLUMNS: usize = 64;
pub const MAX_KEY_COLUMNS: usize = 4;
pub const MAX_INDEXES: usize = 8;
pub const MAX_FILTERS: usize = 16;

const SCHEMA: &str = "invalid schema";
const QUERY: &str = "invalid query";

/// Table, column and index names: ^[a-z][a-z0-9_]{0,63}$.
fn check_name(what: &str, n: &str) -> Result<(), String> {
    let b = n.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= MAX_NAME_LEN
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!("{}: {} name {:?} must match ^[a-z][a-z0-9_]{{0,63}}$", SCHEMA, what, n))
    }
}

impl Tbl {
    fn col(&self, name: &str) -> Option<usize> {
        self.schema.columns.iter().position(|c| c.name == name)
    }
    fn key_columns(&self, what: &str, names: &[String], ok: fn(&Ty) -> bool) -> Result<Vec<usize>, String> {
        if names.is_empty() || names.len() > MAX_KEY_COLUMNS {
            return Err(format!("{}: {} has {} columns, want 1..{}", SCHEMA, what, names.len(), MAX_KEY_COLUMNS));
        }
        let mut cols = Vec::new();
        for n in names {
            let i = self.col(n).ok_or_else(|| format!("{}: {}: no column {:?}", SCHEMA, what, n))?;
            if cols.contains(&i) {
                return Err(format!("{}: {}: column {:?} listed twice", SCHEMA, what, n));
            }
            if !ok(&self.types[i]) {
                return Err(format!("{}: {}: column {:?} has type {}, which cannot be a key", SCHEMA, what, n, self.schema.columns[i].ty));
            }
            cols.push(i);
        }
        Ok(cols)
    }
    fn add_index(&mut self, ix: &Index) -> Result<(), String> {
        check_name("index", &ix.name)?;
        if self.indexes.len() == MAX_INDEXES {
            return Err(format!("{}: {} indexes, limit {}", SCHEMA, MAX_INDEXES + 1, MAX_INDEXES));
        }
        if self.indexes.iter().any(|i| i.name == ix.name) {
            return Err(format!("{}: duplicate index {:?}", SCHEMA, ix.name));
        }
        let what = format!("index {}", ix.name);
        let cols = self.key_columns(&what, &ix.columns, Ty::indexable)?;
        let idx = Idx { name: ix.name.clone(), cols, unique: ix.unique };
        if idx.unique {
            let mut seen = BTreeSet::new();
            for row in self.rows.values() {
                let v = project(&row.vals, &idx.cols);
                if !has_none(&v) && !seen.insert(v) {
                    return Err(format!("duplicate key: unique index {} of {:?} already has this value", ix.name, self.name));
                }
            }
        }
        self.indexes.push(idx);
        self.schema.indexes.push(ix.clone());
        Ok(())
    }

    fn new(name: &str, schema: &Schema) -> Result<Tbl, String> {
        if schema.columns.is_empty() || schema.columns.len() > MAX_COLUMNS {
            return Err(format!("{}: {} columns, want 1..{}", SCHEMA, schema.columns.len(), MAX_COLUMNS));
        }
        let mut types = Vec::new();
        let mut names = BTreeSet::new();
        for c in &schema.columns {
            check_name("column", &c.name)?;
            if !names.insert(c.name.as_str()) {
                return Err(format!("{}: duplicate column {:?}", SCHEMA, c.name));
            }
            types.push(parse_ty(&c.ty).map_err(|e| format!("{}: column {:?}: {}", SCHEMA, c.name, e))?);
        }
        let mut t = Tbl {
            name: String::from(name),
            schema: Schema { columns: schema.columns.clone(), primary_key: schema.primary_key.clone(), indexes: Vec::new() },
            types,
            pk: Vec::new(),
            indexes: Vec::new(),
            rows: BTreeMap::new(),
            writers: BTreeSet::new(),
        };
        t.pk = t.key_columns("primary key", &schema.primary_key, Ty::keyable)?;
        for ix in &schema.indexes {
            t.add_index(ix)?;
        }
        Ok(t)
    }

    fn decode_row(&self, b: &[u8]) -> Result<Row, String> {
        let mut r = Reader::new(b);
        let mut vals = Vec::with_capacity(self.types.len());
        let mut raws = Vec::with_capacity(self.types.len());
        for t in &self.types {
            let s = r.offset();
            vals.push(decode_value(&mut r, t).map_err(|e| format!("invalid row: {}", e))?);
            raws.push(b[s..r.offset()].to_vec());
        }
        r.finish().map_err(|e| format!("invalid row: {}", e))?;
        Ok(Row { vals, raws, bytes: b.to_vec() })
    }

    fn key_of(&self, b: &[u8]) -> Result<Vec<Value>, String> {
        let tys: Vec<&Ty> = self.pk.iter().map(|&i| &self.types[i]).collect();
        decode_seq(b, &tys, "invalid row: key")
    }

    /// Checks the unique indexes for `row` (ignoring the row with its own
    /// key). As on chain, a value with a `None` column is never a duplicate.
    fn check_unique(&self, row: &Row, pk: &[Value]) -> Result<(), String> {
        for ix in self.indexes.iter().filter(|i| i.unique) {
            let want = project(&row.vals, &ix.cols);
            if has_none(&want) {
                continue;
            }
            for (k, other) in &self.rows {
                if k.as_slice() != pk && project(&other.vals, &ix.cols) == want {
                    return Err(format!("duplicate key: unique index {} of {:?} already has this value", ix.name, self.name));
                }
            }
        }
        Ok(())
    }
}

fn has_none(vals: &[Value]) -> bool {
    vals.iter().any(|v| *v == Value::Opt(None))
}

fn project(vals: &[Value], cols: &[usize]) -> Vec<Value> {
    cols.iter().map(|&i| vals[i].clone()).collect()
}

fn args<T: Decode>(b: &[u8]) -> Result<T, String> {
    decode_all(b).map_err(|e| format!("bad args: {}", e))
}

fn check_writable() -> Result<(), String> {
    if with(|h| h.frames.last().map(|f| f.readonly).unwrap_or(false)) {
        return Err(String::from("write in a read-only call"));
    }
    Ok(())
}

fn table_mut<'a>(db: &'a mut Db, owner: Address, name: &str) -> Result<&'a mut Tbl, String> {
    db.tables.get_mut(&(owner, name.to_string())).ok_or_else(|| format!("no such table: {:?} of {}", name, owner))
}

fn table_ref<'a>(db: &'a Db, owner: Address, name: &str) -> Result<&'a Tbl, String> {
    db.tables.get(&(owner, name.to_string())).ok_or_else(|| format!("no such table: {:?} of {}", name, owner))
}

fn check_writer(t: &Tbl, caller: Address, owner: Address) -> Result<(), String> {
    if caller != owner && !t.writers.contains(&caller) {
        return Err(format!("not allowed to write this table: {} may not write {:?} of {}", caller, t.name, owner));
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Write {
    Insert,
    Update,
    Upsert,
}

fn write_row(db: &mut Db, caller: Address, a: RowArgs, mode: Write) -> Result<(), String> {
    let t = table_mut(db, a.owner, &a.table)?;
    check_writer(t, caller, a.owner)?;
    let row = t.decode_row(&a.row)?;
    let pk = project(&row.vals, &t.pk);
    let exists = t.rows.contains_key(&pk);
    match mode {
        Write::Insert if exists => return Err(format!("duplicate key: {:?} already has a row with this primary key", a.table)),
        Write::Update if !exists => return Err(format!("row not found: {:?} has no row with this primary key", a.table)),
        _ => {}
    }
    t.check_unique(&row, &pk)?;
    t.rows.insert(pk, row);
    Ok(())
}

fn run_query(db: &Db, a: QueryArgs) -> Result<QueryResult, String> {
    let t = table_ref(db, a.owner, &a.table)?;
    let cols: Vec<usize> = if a.index.is_empty() {
        t.pk.clone()
    } else {
        t.indexes.iter().find(|i| i.name == a.index).map(|i| i.cols.clone()).ok_or_else(|| format!("{}: table {:?} has no index {:?}", QUERY, a.table, a.index))?
    };
    // sort key: the index columns, then the primary key
    let mut sort_cols = cols.clone();
    if !a.index.is_empty() {
        sort_cols.extend_from_slice(&t.pk);
    }
    // prefix: the first k index columns
    let mut r = Reader::new(&a.prefix);
    let mut prefix = Vec::new();
    while r.remaining() > 0 {
        if prefix.len() == cols.len() {
            return Err(format!("{}: prefix holds more than the {} key columns", QUERY, cols.len()));
        }
        let name = &t.schema.columns[cols[prefix.len()]].name;
        prefix.push(decode_value(&mut r, &t.types[cols[prefix.len()]]).map_err(|e| format!("{}: prefix: column {:?}: {}", QUERY, name, e))?);
    }
    let k = prefix.len();
    let bound = |b: &Option<Bytes>, what: &str| -> Result<Option<Value>, String> {
        match b {
            None => Ok(None),
            Some(b) => {
                if k == cols.len() {
                    return Err(format!("{}: bounds need a key column after the {} prefix columns; the key has {}", QUERY, k, cols.len()));
                }
                decode_one(b, &t.types[cols[k]], &format!("{}: {}", QUERY, what)).map(Some)
            }
        }
    };
    let lower = bound(&a.lower, "lower")?;
    let upper = bound(&a.upper, "upper")?;
    if a.filters.len() > MAX_FILTERS {
        return Err(format!("{}: {} filters, limit {}", QUERY, a.filters.len(), MAX_FILTERS));
    }
    let mut filters = Vec::new();
    for (i, f) in a.filters.iter().enumerate() {
        let c = t.col(&f.column).ok_or_else(|| format!("{}: filter {}: no column {:?}", QUERY, i, f.column))?;
        let op = match f.op.as_str() {
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" => f.op.clone(),
            o => return Err(format!("{}: filter {}: op {:?}, want eq ne lt le gt ge", QUERY, i, o)),
        };
        let v = decode_one(&f.value, &t.types[c], &format!("{}: filter {}: value", QUERY, i))?;
        if op != "eq" && op != "ne" && !t.types[c].indexable() {
            return Err(format!("{}: filter {}: column {:?} of type {} is unordered; only eq and ne apply", QUERY, i, f.column, t.schema.columns[c].ty));
        }
        filters.push((c, op, v));
    }
    let limit = match a.limit {
        0 => DEFAULT_LIMIT,
        n if n > MAX_LIMIT => return Err(format!("{}: limit {}, at most {}", QUERY, n, MAX_LIMIT)),
        n => n,
    } as usize;
    let cursor = if a.cursor.is_empty() {
        None
    } else {
        let tys: Vec<&Ty> = sort_cols.iter().map(|&i| &t.types[i]).collect();
        Some(decode_seq(&a.cursor, &tys, &format!("{}: malformed cursor", QUERY))?)
    };

    let mut hits: Vec<(Vec<Value>, &Row)> = Vec::new();
    'rows: for row in t.rows.values() {
        for (j, p) in prefix.iter().enumerate() {
            if row.vals[cols[j]] != *p {
                continue 'rows;
            }
        }
        if k < cols.len() {
            let v = &row.vals[cols[k]];
            if lower.as_ref().map_or(false, |l| v < l) || upper.as_ref().map_or(false, |u| v >= u) {
                continue;
            }
        }
        for (c, op, want) in &filters {
            let v = &row.vals[*c];
            let ok = match op.as_str() {
                "eq" => v == want,
                "ne" => v != want,
                "lt" => v < want,
                "le" => v <= want,
                "gt" => v > want,
                _ => v >= want,
            };
            if !ok {
                continue 'rows;
            }
        }
        let sk = project(&row.vals, &sort_cols);
        if let Some(c) = &cursor {
            if (!a.reverse && sk <= *c) || (a.reverse && sk >= *c) {
                continue;
            }
        }
        hits.push((sk, row));
    }
    hits.sort_by(|x, y| x.0.cmp(&y.0));
    if a.reverse {
        hits.reverse();
    }
    let more = hits.len() > limit;
    hits.truncate(limit);
    let cursor = match (more, hits.last()) {
        (true, Some((_, row))) => sort_cols.iter().flat_map(|&i| row.raws[i].iter().copied()).collect(),
        _ => Vec::new(),
    };
    Ok(QueryResult { rows: hits.iter().map(|(_, r)| Bytes(r.bytes.clone())).collect(), cursor: Bytes(cursor) })
}

/// The database module's methods (registered at `Address::module(3)`).
pub(crate) fn handle(c: &NativeCall<'_>) -> Result<Vec<u8>, String> {
    let caller = c.caller;
    let readonly_method = matches!(c.method, "get" | "query" | "schema" | "tables");
    if !readonly_method {
        check_writable()?;
    }
    let out = match c.method {
        "create_table" => {
            let a: CreateTableArgs = args(c.args)?;
            check_name("table", &a.name)?;
            let t = Tbl::new(&a.name, &a.schema)?;
            with(|h| {
                let key = (caller, a.name.clone());
                if h.state.db.tables.contains_key(&key) {
                    return Err(format!("table already exists: {:?} of {}", a.name, caller));
                }
                h.state.db.tables.insert(key, t);
                Ok(())
            })?;
            encode_to_vec(&())
        }
        "insert" | "update" | "upsert" => {
            let a: RowArgs = args(c.args)?;
            let mode = match c.method {
                "insert" => Write::Insert,
                "update" => Write::Update,
                _ => Write::Upsert,
            };
            with(|h| write_row(&mut h.state.db, caller, a, mode))?;
            encode_to_vec(&())
        }
        "delete" => {
            let a: KeyArgs = args(c.args)?;
            with(|h| {
                let t = table_mut(&mut h.state.db, a.owner, &a.table)?;
                check_writer(t, caller, a.owner)?;
                let k = t.key_of(&a.key)?;
                t.rows.remove(&k).map(|_| ()).ok_or_else(|| format!("row not found: {:?} has no row with this primary key", a.table))
            })?;
            encode_to_vec(&())
        }
        "get" => {
            let a: KeyArgs = args(c.args)?;
            let r = with(|h| -> Result<Option<Bytes>, String> {
                let t = table_ref(&h.state.db, a.owner, &a.table)?;
                let k = t.key_of(&a.key)?;
                Ok(t.rows.get(&k).map(|r| Bytes(r.bytes.clone())))
            })?;
            encode_to_vec(&r)
        }
        "query" => {
            let a: QueryArgs = args(c.args)?;
            let r = with(|h| run_query(&h.state.db, a))?;
            encode_to_vec(&r)
        }
        "grant" => {
            let a: GrantArgs = args(c.args)?;
            with(|h| {
                let t = table_mut(&mut h.state.db, caller, &a.table)?;
                if a.write {
                    t.writers.insert(a.to);
                } else {
                    t.writers.remove(&a.to);
                }
                Ok::<(), String>(())
            })?;
            encode_to_vec(&())
        }
        "alter_table" => {
            let a: AlterTableArgs = args(c.args)?;
            with(|h| alter(&mut h.state.db, caller, a))?;
            encode_to_vec(&())
        }
        "schema" => {
            let a: TableArgs = args(c.args)?;
            let s = with(|h| table_ref(&h.state.db, a.owner, &a.table).map(|t| t.schema.clone()))?;
            encode_to_vec(&s)
        }
        "tables" => {
            let a: OwnerArgs = args(c.args)?;
            let names: Vec<String> =
                with(|h| h.state.db.tables.keys().filter(|(o, _)| *o == a.owner).map(|(_, n)| n.clone()).collect());
            encode_to_vec(&names)
        }
        m => return Err(format!("database: unknown method {}", m)),
    };
    Ok(out)
}

/// Adds columns (each `option<…>`: existing rows get `None`) and indexes.
fn alter(db: &mut Db, caller: Address, a: AlterTableArgs) -> Result<(), String> {
    let old = table_mut(db, caller, &a.name)?;
    let mut t = old.clone();
    for c in &a.add_columns {
        add_column(&mut t, c)?;
    }
    for ix in &a.add_indexes {
        t.add_index(ix)?;
    }
    *old = t;
    Ok(())
}

fn add_column(t: &mut Tbl, c: &Column) -> Result<(), String> {
    check_name("column", &c.name)?;
    if t.schema.columns.iter().any(|x| x.name == c.name) {
        return Err(format!("{}: duplicate column {:?}", SCHEMA, c.name));
    }
    if t.schema.columns.len() == MAX_COLUMNS {
        return Err(format!("{}: {} columns, want 1..{}", SCHEMA, MAX_COLUMNS + 1, MAX_COLUMNS));
    }
    let ty = parse_ty(&c.ty).map_err(|e| format!("{}: column {:?}: {}", SCHEMA, c.name, e))?;
    if !matches!(ty, Ty::Opt(_)) {
        return Err(format!("{}: added column {:?} has type {}; added columns must be option<T>", SCHEMA, c.name, c.ty));
    }
    for row in t.rows.values_mut() {
        row.vals.push(Value::Opt(None));
        row.raws.push(alloc::vec![0]);
        row.bytes.push(0);
    }
    t.types.push(ty);
    t.schema.columns.push(c.clone());
    Ok(())
}

/// The encoded rows of `owner`'s table in primary-key order (for tests).
pub fn table_rows(owner: Address, table: &str) -> Vec<Vec<u8>> {
    with(|h| {
        h.state.db.tables.get(&(owner, table.to_string())).map(|t| t.rows.values().map(|r| r.bytes.clone()).collect()).unwrap_or_default()
    })
}
