//! Tables: typed access to the native database module.
//!
//! The database module lives at [`MODULE`] (`Address::module(3)`) and is
//! reached with [`Ctx::call`](crate::Ctx::call) / [`View::query`](crate::View::query) like any contract. A table belongs to
//! the account or contract that created it (the caller of `create_table`);
//! the owner, and whoever it [`grant`]s write access, inserts, updates and
//! deletes rows; anyone reads them. Rows, keys and arguments use the
//! canonical encoding (docs/encoding.md):
//!
//! * a row is the encoding of `struct{...}` of all columns in schema order;
//! * a key is the encoding of `struct{...}` of the primary-key columns in
//!   order (for one column: just that value's encoding);
//! * a query's `prefix` is the encodings of the first k columns of the index
//!   concatenated, `lower`/`upper` bound column k+1 (inclusive/exclusive).
//!
//! Order of scans: bools false first, integers numerically, strings and
//! bytes lexicographically by bytes, addresses by bytes, `None` first.
//!
//! [`table!`](crate::table) declares a row type with its table name, primary
//! key and indexes:
//!
//! ```ignore
//! vsys_sdk::table! {
//!     pub struct Item in "items" {
//!         pub id: String,
//!         pub owner: Address,
//!         pub status: String,
//!         pub updated: i64,
//!         pub note: Option<String>,
//!     }
//!     primary_key(id);
//!     index by_owner(owner);
//!     index by_status(status, updated);
//!     unique index by_note(note);
//! }
//!
//! Item::create(c)?;                                   // in init; c: &mut Ctx
//! row.insert(c)?; row.update(c)?; row.upsert(c)?;     // writes take the Ctx
//! let r: Option<Item> = Item::get(v, "id-1")?;       // reads a View (or c); key: the pk value (a tuple for several)
//! Item::delete(c, "id-1")?;
//! let page = Item::query().index("by_status").eq("shipped").reverse().limit(20).fetch(v)?;
//! for it in Item::query().index("by_owner").eq(&owner).iter(v) { /* follows cursors */ }
//! ```
//!
//! Writes (create, insert, update, upsert, delete, grant, alter) take the
//! read-write handle [`Ctx`], reads (get, query, schema, tables) a
//! [`View`], so a `#[view]` method cannot write a table.
//!
//! The raw functions ([`create_table`], [`insert`], [`query`], ...) take and
//! return encoded bytes, for tables whose layout is not known at compile time.

use crate::api::{abort, self_address};
use crate::encoding::{decode_all, encode_to_vec, AbiType, Bytes, Decode, Encode, Error as DecodeError, Reader, Writer};
use crate::{Address, Ctx, Error, View};
use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::marker::PhantomData;

/// The database module's address: nineteen zero bytes, then 3.
pub const MODULE: Address = Address::module(3);

/// The page size the module uses for a query `limit` of 0.
pub const DEFAULT_LIMIT: u32 = 100;
/// The largest query `limit`.
pub const MAX_LIMIT: u32 = 1000;

/// A column: `struct{name:string,type:string}`; `ty` is a type's text form
/// (`u64`, `string`, `address`, `option<string>`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Column {
    pub name: String,
    /// The `type` field.
    pub ty: String,
}

impl Column {
    pub fn new(name: &str, ty: &str) -> Column {
        Column { name: String::from(name), ty: String::from(ty) }
    }
    /// A column named `name` of the Rust type `T`'s ABI type.
    pub fn of<T: AbiType>(name: &str) -> Column {
        Column { name: String::from(name), ty: T::abi_type() }
    }
}

impl Encode for Column {
    fn encode(&self, w: &mut Writer) {
        self.name.encode(w);
        self.ty.encode(w);
    }
}
impl Decode for Column {
    const MIN_SIZE: usize = 8;
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Column { name: String::decode(r)?, ty: String::decode(r)? })
    }
}
impl AbiType for Column {
    const TYPE: &'static crate::abi::Type = &crate::abi::Type::Struct(&[
        crate::abi::Field { name: "name", ty: &crate::abi::Type::String },
        crate::abi::Field { name: "type", ty: &crate::abi::Type::String },
    ]);
}

crate::vsys_struct! {
    /// A secondary index: `struct{name:string,columns:list<string>,unique:bool}`.
    pub struct Index { pub name: String, pub columns: Vec<String>, pub unique: bool }
    /// A table's schema.
    pub struct Schema { pub columns: Vec<Column>, pub primary_key: Vec<String>, pub indexes: Vec<Index> }

    /// Arguments of `create_table`.
    pub struct CreateTableArgs { pub name: String, pub schema: Schema }
    /// Arguments of `insert`, `update` and `upsert`.
    pub struct RowArgs { pub owner: Address, pub table: String, pub row: Bytes }
    /// Arguments of `delete` and `get`.
    pub struct KeyArgs { pub owner: Address, pub table: String, pub key: Bytes }
    /// A query filter: `op` is one of eq ne lt le gt ge, `value` the column's encoding.
    pub struct Filter { pub column: String, pub op: String, pub value: Bytes }
    /// Arguments of `query`.
    pub struct QueryArgs {
        pub owner: Address,
        pub table: String,
        pub index: String,
        pub prefix: Bytes,
        pub lower: Option<Bytes>,
        pub upper: Option<Bytes>,
        pub reverse: bool,
        pub filters: Vec<Filter>,
        pub limit: u32,
        pub cursor: Bytes,
    }
    /// Result of `query`: encoded rows and the cursor of the next page (empty: done).
    pub struct QueryResult { pub rows: Vec<Bytes>, pub cursor: Bytes }
    /// Arguments of `grant`.
    pub struct GrantArgs { pub table: String, pub to: Address, pub write: bool }
    /// Arguments of `alter_table`.
    pub struct AlterTableArgs { pub name: String, pub add_columns: Vec<Column>, pub add_indexes: Vec<Index> }
    /// Arguments of `schema`.
    pub struct TableArgs { pub owner: Address, pub table: String }
    /// Arguments of `tables`.
    pub struct OwnerArgs { pub owner: Address }
}

impl Index {
    pub fn new(name: &str, columns: &[&str], unique: bool) -> Index {
        Index { name: String::from(name), columns: columns.iter().map(|c| String::from(*c)).collect(), unique }
    }
}

// ---------------------------------------------------------------- raw calls

/// Creates table `name` owned by this contract.
pub fn create_table(c: &mut Ctx, name: &str, schema: &Schema) -> Result<(), Error> {
    c.call_with(&MODULE, "create_table", &CreateTableArgs { name: String::from(name), schema: schema.clone() }, &[])
}

fn row_call(c: &mut Ctx, method: &str, owner: &Address, table: &str, row: &[u8]) -> Result<(), Error> {
    c.call_with(&MODULE, method, &RowArgs { owner: *owner, table: String::from(table), row: Bytes(row.to_vec()) }, &[])
}

/// Inserts an encoded row; fails if its primary key exists or a unique index
/// would be violated.
pub fn insert(c: &mut Ctx, owner: &Address, table: &str, row: &[u8]) -> Result<(), Error> {
    row_call(c, "insert", owner, table, row)
}
/// Replaces the row with the same primary key; fails if there is none.
pub fn update(c: &mut Ctx, owner: &Address, table: &str, row: &[u8]) -> Result<(), Error> {
    row_call(c, "update", owner, table, row)
}
/// Inserts or replaces.
pub fn upsert(c: &mut Ctx, owner: &Address, table: &str, row: &[u8]) -> Result<(), Error> {
    row_call(c, "upsert", owner, table, row)
}
/// Deletes the row with this encoded primary key.
pub fn delete(c: &mut Ctx, owner: &Address, table: &str, key: &[u8]) -> Result<(), Error> {
    c.call_with(&MODULE, "delete", &KeyArgs { owner: *owner, table: String::from(table), key: Bytes(key.to_vec()) }, &[])
}
/// The encoded row with this encoded primary key.
pub fn get(v: &View, owner: &Address, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
    let r: Option<Bytes> =
        v.query_with(&MODULE, "get", &KeyArgs { owner: *owner, table: String::from(table), key: Bytes(key.to_vec()) })?;
    Ok(r.map(|b| b.0))
}
/// One page of a scan.
pub fn query(v: &View, args: &QueryArgs) -> Result<QueryResult, Error> {
    v.query_with(&MODULE, "query", args)
}
/// Gives `to` write access to this contract's table (or takes it away).
pub fn grant(c: &mut Ctx, table: &str, to: &Address, write: bool) -> Result<(), Error> {
    c.call_with(&MODULE, "grant", &GrantArgs { table: String::from(table), to: *to, write }, &[])
}
/// Adds columns (appended to the row) and indexes to this contract's table.
pub fn alter_table(c: &mut Ctx, name: &str, add_columns: &[Column], add_indexes: &[Index]) -> Result<(), Error> {
    let a = AlterTableArgs { name: String::from(name), add_columns: add_columns.to_vec(), add_indexes: add_indexes.to_vec() };
    c.call_with(&MODULE, "alter_table", &a, &[])
}
/// The schema of `owner`'s table.
pub fn schema(v: &View, owner: &Address, table: &str) -> Result<Schema, Error> {
    v.query_with(&MODULE, "schema", &TableArgs { owner: *owner, table: String::from(table) })
}
/// The names of `owner`'s tables.
pub fn tables(v: &View, owner: &Address) -> Result<Vec<String>, Error> {
    v.query_with(&MODULE, "tables", &OwnerArgs { owner: *owner })
}

// ---------------------------------------------------------------- typed

/// A row type with its table (declared with [`table!`](crate::table)).
pub trait Table: Encode + Decode {
    /// The table name.
    const TABLE: &'static str;
    /// Columns (in field order, types from [`AbiType`]), primary key, indexes.
    fn schema() -> Schema;
    /// Appends the encoding of this row's primary key.
    fn encode_key(&self, w: &mut Writer);
    /// The table as the ABI lists it (`abi!(tables = [T])`).
    const ABI: crate::abi::TableDesc;
}

fn decode_row<T: Table>(raw: &[u8]) -> Result<T, Error> {
    decode_all::<T>(raw).map_err(|e| Error::msg(format!("bad row of table {}: {}", T::TABLE, e)))
}

/// The table of type `T` owned by `owner` ([`TableRef::mine`]: this contract's).
pub struct TableRef<T> {
    owner: Address,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for TableRef<T> {
    fn clone(&self) -> Self {
        TableRef { owner: self.owner, _t: PhantomData }
    }
}

impl<T: Table> TableRef<T> {
    /// This contract's table.
    pub fn mine() -> Self {
        TableRef { owner: self_address(), _t: PhantomData }
    }
    /// `owner`'s table (reads by anyone; writes need a grant).
    pub fn of(owner: Address) -> Self {
        TableRef { owner, _t: PhantomData }
    }
    pub fn owner(&self) -> Address {
        self.owner
    }
    /// Creates the table (always owned by the caller, i.e. this contract).
    pub fn create(&self, c: &mut Ctx) -> Result<(), Error> {
        create_table(c, T::TABLE, &T::schema())
    }
    pub fn insert(&self, c: &mut Ctx, row: &T) -> Result<(), Error> {
        insert(c, &self.owner, T::TABLE, &encode_to_vec(row))
    }
    pub fn update(&self, c: &mut Ctx, row: &T) -> Result<(), Error> {
        update(c, &self.owner, T::TABLE, &encode_to_vec(row))
    }
    pub fn upsert(&self, c: &mut Ctx, row: &T) -> Result<(), Error> {
        upsert(c, &self.owner, T::TABLE, &encode_to_vec(row))
    }
    /// Deletes by key: the primary-key value, or a tuple of them in order.
    pub fn delete<K: Encode + ?Sized>(&self, c: &mut Ctx, key: &K) -> Result<(), Error> {
        delete(c, &self.owner, T::TABLE, &encode_to_vec(key))
    }
    /// Deletes the row with `row`'s primary key.
    pub fn delete_row(&self, c: &mut Ctx, row: &T) -> Result<(), Error> {
        let mut w = Writer::new();
        row.encode_key(&mut w);
        delete(c, &self.owner, T::TABLE, w.as_slice())
    }
    /// The row with this key (the primary-key value, or a tuple of them).
    pub fn get<K: Encode + ?Sized>(&self, v: &View, key: &K) -> Result<Option<T>, Error> {
        match get(v, &self.owner, T::TABLE, &encode_to_vec(key))? {
            None => Ok(None),
            Some(raw) => decode_row(&raw).map(Some),
        }
    }
    /// A query on the primary key; see [`Query`].
    pub fn query(&self) -> Query<T> {
        Query::new(self.owner)
    }
}

/// A filter operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Lt => "lt",
            Op::Le => "le",
            Op::Gt => "gt",
            Op::Ge => "ge",
        }
    }
}

/// One page of rows and the cursor of the next (empty: no more).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub cursor: Bytes,
}

impl<T> Page<T> {
    /// True if the module reported no further page.
    pub fn is_last(&self) -> bool {
        self.cursor.is_empty()
    }
}

/// A query builder. Defaults: primary key, ascending, no bounds, no filters,
/// limit 0 (the module's 100), first page.
///
/// `eq` values fill the index columns from the first on (the prefix);
/// `lower`/`upper` bound the column after them.
pub struct Query<T> {
    args: QueryArgs,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Query<T> {
    fn clone(&self) -> Self {
        Query { args: self.args.clone(), _t: PhantomData }
    }
}

impl<T: Table> Query<T> {
    /// A query on `owner`'s table.
    pub fn new(owner: Address) -> Self {
        let args = QueryArgs { owner, table: String::from(T::TABLE), ..QueryArgs::default() };
        Query { args, _t: PhantomData }
    }
    /// Scans this secondary index ("" = the primary key).
    pub fn index(mut self, name: &str) -> Self {
        self.args.index = String::from(name);
        self
    }
    /// Fixes the next index column to `v` (appends its encoding to the prefix).
    pub fn eq<V: Encode + ?Sized>(mut self, v: &V) -> Self {
        let mut w = Writer::new();
        v.encode(&mut w);
        self.args.prefix.0.extend_from_slice(w.as_slice());
        self
    }
    /// Appends raw bytes to the prefix.
    pub fn prefix_raw(mut self, b: &[u8]) -> Self {
        self.args.prefix.0.extend_from_slice(b);
        self
    }
    /// The column after the prefix is ≥ `v`.
    pub fn lower<V: Encode + ?Sized>(mut self, v: &V) -> Self {
        self.args.lower = Some(Bytes(encode_to_vec(v)));
        self
    }
    /// The column after the prefix is < `v`.
    pub fn upper<V: Encode + ?Sized>(mut self, v: &V) -> Self {
        self.args.upper = Some(Bytes(encode_to_vec(v)));
        self
    }
    /// Descending order.
    pub fn reverse(mut self) -> Self {
        self.args.reverse = true;
        self
    }
    /// Sets the order: descending if `reverse`.
    pub fn order(mut self, reverse: bool) -> Self {
        self.args.reverse = reverse;
        self
    }
    /// Keeps rows whose `column` compares to `v` by `op`.
    pub fn filter<V: Encode + ?Sized>(mut self, column: &str, op: Op, v: &V) -> Self {
        self.args.filters.push(Filter { column: String::from(column), op: String::from(op.as_str()), value: Bytes(encode_to_vec(v)) });
        self
    }
    /// Rows per page (0: the module's default, 100; at most 1000).
    pub fn limit(mut self, n: u32) -> Self {
        self.args.limit = n;
        self
    }
    /// Starts at the page of a previous [`Page::cursor`] (empty: the first).
    pub fn cursor(mut self, c: &[u8]) -> Self {
        self.args.cursor = Bytes(c.to_vec());
        self
    }
    /// The arguments of the `query` call.
    pub fn args(&self) -> &QueryArgs {
        &self.args
    }
    /// Fetches one page.
    pub fn fetch(&self, v: &View) -> Result<Page<T>, Error> {
        let r = query(v, &self.args)?;
        let mut rows = Vec::with_capacity(r.rows.len());
        for raw in &r.rows {
            rows.push(decode_row(raw)?);
        }
        Ok(Page { rows, cursor: r.cursor })
    }
    /// Every matching row, page after page (each page `limit` rows). A failed
    /// page fetch aborts the call with its error; see [`QueryIter::try_next`].
    pub fn iter(self, v: &View) -> QueryIter<'_, T> {
        QueryIter { v, q: self, buf: VecDeque::new(), done: false }
    }
}

/// Iterator over every row of a [`Query`], following cursors.
pub struct QueryIter<'a, T> {
    v: &'a View,
    q: Query<T>,
    buf: VecDeque<T>,
    done: bool,
}

impl<T: Table> QueryIter<'_, T> {
    /// The next row, or the error of a failed page fetch.
    pub fn try_next(&mut self) -> Result<Option<T>, Error> {
        loop {
            if let Some(r) = self.buf.pop_front() {
                return Ok(Some(r));
            }
            if self.done {
                return Ok(None);
            }
            let page = self.q.fetch(self.v)?;
            self.done = page.cursor.is_empty();
            self.q.args.cursor = page.cursor;
            self.buf.extend(page.rows);
        }
    }
}

impl<T: Table> Iterator for QueryIter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        match self.try_next() {
            Ok(r) => r,
            Err(e) => abort(&alloc::string::ToString::to_string(&e)),
        }
    }
}

/// Raw `call` of a database method, for methods this module does not wrap.
pub fn call_raw(c: &mut Ctx, method: &str, args: &[u8]) -> Result<Vec<u8>, Error> {
    c.call(&MODULE, method, args, &[])
}

/// Declares a table row type: a [`vsys_struct!`](crate::vsys_struct) struct
/// (Encode, Decode, AbiType, Clone, Debug, PartialEq, Eq, Default) that
/// implements [`db::Table`](crate::db::Table), plus inherent functions:
///
/// | | |
/// |---|---|
/// | `TABLE`, `schema()` | the table name and [`Schema`](crate::db::Schema) (column types from `AbiType`) |
/// | `table()`, `table_of(owner)` | a [`TableRef`](crate::db::TableRef) (this contract's / `owner`'s) |
/// | `create(c)` | `create_table` |
/// | `row.insert(c)`, `row.update(c)`, `row.upsert(c)`, `row.delete_row(c)` | writes to this contract's table (`c: &mut Ctx`) |
/// | `delete(c, &key)`, `get(v, &key) -> Result<Option<Self>, Error>` | key: the pk value, or a tuple of the pk values; `v: &View` |
/// | `query()` | a [`Query`](crate::db::Query) on this contract's table (`fetch(v)`, `iter(v)`) |
///
/// ```
/// use vsys_sdk::{table, Address};
/// table! {
///     pub struct Order in "orders" {
///         pub id: u64,
///         pub buyer: Address,
///         pub sku: String,
///         pub qty: u32,
///     }
///     primary_key(id);
///     index by_buyer(buyer, id);
///     unique index by_sku(sku);
/// }
/// let s = Order::schema();
/// assert_eq!(Order::TABLE, "orders");
/// assert_eq!(s.columns[1].ty, "address");
/// assert_eq!(s.primary_key, ["id"]);
/// assert!(s.indexes[1].unique);
/// ```
///
/// Indexes are `index NAME(COL, ...);` or `unique index NAME(COL, ...);`,
/// after `primary_key(COL, ...);`.
#[macro_export]
macro_rules! table {
    (
        $(#[$m:meta])*
        $vis:vis struct $name:ident in $tname:literal {
            $( $(#[$fm:meta])* $fvis:vis $field:ident : $fty:ty ),* $(,)?
        }
        primary_key ( $($pk:ident),+ $(,)? ) ;
        $($rest:tt)*
    ) => {
        $crate::vsys_struct! {
            $(#[$m])*
            $vis struct $name { $( $(#[$fm])* $fvis $field : $fty ),* }
        }

        impl $crate::db::Table for $name {
            const TABLE: &'static str = $tname;
            fn schema() -> $crate::db::Schema {
                #[allow(unused_mut)]
                let mut columns = $crate::__private::Vec::new();
                $( columns.push($crate::db::Column::of::<$fty>(stringify!($field))); )*
                let mut primary_key = $crate::__private::Vec::new();
                $( primary_key.push($crate::__private::String::from(stringify!($pk))); )+
                $crate::db::Schema { columns, primary_key, indexes: $crate::__table_indexes!([] $($rest)*) }
            }
            fn encode_key(&self, w: &mut $crate::encoding::Writer) {
                $( $crate::encoding::Encode::encode(&self.$pk, w); )+
            }
            const ABI: $crate::abi::TableDesc = $crate::abi::TableDesc {
                name: $tname,
                row: <$name as $crate::encoding::AbiType>::TYPE,
                primary_key: &[$(stringify!($pk)),+],
                indexes: $crate::__table_index_descs!([] $($rest)*),
            };
        }

        #[allow(dead_code)]
        impl $name {
            /// The table name.
            pub const TABLE: &'static str = $tname;
            /// The table's schema.
            pub fn schema() -> $crate::db::Schema {
                <Self as $crate::db::Table>::schema()
            }
            /// This contract's table.
            pub fn table() -> $crate::db::TableRef<Self> {
                $crate::db::TableRef::mine()
            }
            /// `owner`'s table.
            pub fn table_of(owner: $crate::Address) -> $crate::db::TableRef<Self> {
                $crate::db::TableRef::of(owner)
            }
            /// Creates the table, owned by this contract.
            pub fn create(c: &mut $crate::Ctx) -> ::core::result::Result<(), $crate::Error> {
                Self::table().create(c)
            }
            /// Inserts this row (fails on a duplicate key or unique value).
            pub fn insert(&self, c: &mut $crate::Ctx) -> ::core::result::Result<(), $crate::Error> {
                Self::table().insert(c, self)
            }
            /// Replaces the row with this row's key (fails if there is none).
            pub fn update(&self, c: &mut $crate::Ctx) -> ::core::result::Result<(), $crate::Error> {
                Self::table().update(c, self)
            }
            /// Inserts or replaces this row.
            pub fn upsert(&self, c: &mut $crate::Ctx) -> ::core::result::Result<(), $crate::Error> {
                Self::table().upsert(c, self)
            }
            /// Deletes the row with this row's key.
            pub fn delete_row(&self, c: &mut $crate::Ctx) -> ::core::result::Result<(), $crate::Error> {
                Self::table().delete_row(c, self)
            }
            /// Deletes by key (the pk value, or a tuple of the pk values).
            pub fn delete<K: $crate::encoding::Encode + ?Sized>(
                c: &mut $crate::Ctx,
                key: &K,
            ) -> ::core::result::Result<(), $crate::Error> {
                Self::table().delete(c, key)
            }
            /// The row with this key (the pk value, or a tuple of the pk values).
            pub fn get<K: $crate::encoding::Encode + ?Sized>(
                v: &$crate::View,
                key: &K,
            ) -> ::core::result::Result<::core::option::Option<Self>, $crate::Error> {
                Self::table().get(v, key)
            }
            /// A query on this contract's table (primary key unless `.index(..)`).
            pub fn query() -> $crate::db::Query<Self> {
                Self::table().query()
            }
            /// The encoding of this row's primary key.
            pub fn key_bytes(&self) -> $crate::__private::Vec<u8> {
                let mut w = $crate::encoding::Writer::new();
                <Self as $crate::db::Table>::encode_key(self, &mut w);
                w.into_vec()
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __table_indexes {
    ([$($acc:expr,)*]) => {{
        #[allow(unused_mut)]
        let mut v = $crate::__private::Vec::new();
        $( v.push($acc); )*
        v
    }};
    ([$($acc:expr,)*] index $n:ident ( $($c:ident),+ $(,)? ) ; $($rest:tt)*) => {
        $crate::__table_indexes!([$($acc,)* $crate::db::Index::new(stringify!($n), &[$(stringify!($c)),+], false),] $($rest)*)
    };
    ([$($acc:expr,)*] unique index $n:ident ( $($c:ident),+ $(,)? ) ; $($rest:tt)*) => {
        $crate::__table_indexes!([$($acc,)* $crate::db::Index::new(stringify!($n), &[$(stringify!($c)),+], true),] $($rest)*)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __table_index_descs {
    ([$($acc:expr,)*]) => {
        &[$($acc),*]
    };
    ([$($acc:expr,)*] index $n:ident ( $($c:ident),+ $(,)? ) ; $($rest:tt)*) => {
        $crate::__table_index_descs!([$($acc,)* $crate::abi::IndexDesc { name: stringify!($n), columns: &[$(stringify!($c)),+], unique: false },] $($rest)*)
    };
    ([$($acc:expr,)*] unique index $n:ident ( $($c:ident),+ $(,)? ) ; $($rest:tt)*) => {
        $crate::__table_index_descs!([$($acc,)* $crate::abi::IndexDesc { name: stringify!($n), columns: &[$(stringify!($c)),+], unique: true },] $($rest)*)
    };
}

#[cfg(test)]
mod tests;
