//! Tables against the mock database module.

use super::*;
use crate::testing::{self, addr};
use crate::{entry, Address};
use alloc::string::ToString;
use alloc::vec;

crate::table! {
    /// A test row.
    pub struct Item in "items" {
        pub id: String,
        pub owner: Address,
        pub status: String,
        pub updated: i64,
        pub note: Option<String>,
    }
    primary_key(id);
    index by_owner(owner);
    index by_status(status, updated);
}

crate::table! {
    struct Pair in "pairs" {
        a: u64,
        b: String,
        sku: Option<String>,
        flag: bool,
    }
    primary_key(a, b);
    unique index by_sku(sku);
    index by_flag(flag, a);
}

fn item(id: &str, owner: Address, status: &str, updated: i64) -> Item {
    Item { id: id.to_string(), owner, status: status.to_string(), updated, note: None }
}

fn ids(rows: &[Item]) -> Vec<&str> {
    rows.iter().map(|r| r.id.as_str()).collect()
}

/// Runs `f` as a top-level call of the current contract.
fn run<R>(f: impl Fn(&mut crate::Ctx) -> Result<R, crate::Error> + 'static) -> Result<R, String>
where
    R: 'static,
{
    std::thread_local! {
        static F: core::cell::RefCell<Option<alloc::boxed::Box<dyn Fn(&mut crate::Ctx) -> Result<Vec<u8>, String>>>> = core::cell::RefCell::new(None);
    }
    let out = std::rc::Rc::new(core::cell::RefCell::new(None));
    let o2 = out.clone();
    F.with(|c| {
        *c.borrow_mut() = Some(alloc::boxed::Box::new(move |c: &mut crate::Ctx| {
            let r = f(c).map_err(|e| e.to_string());
            let ok = r.is_ok();
            *o2.borrow_mut() = Some(r);
            if ok {
                Ok(Vec::new())
            } else {
                Err(String::from("failed"))
            }
        }))
    });
    entry! {
        fn __db_test_body(ctx: &mut crate::Ctx) -> Result<(), String> {
            F.with(|c| (c.borrow().as_ref().unwrap())(ctx)).map(|_| ())
        }
    }
    let _ = testing::call_entry(__db_test_body, &[]);
    let r = out.borrow_mut().take().expect("body ran");
    r
}

#[test]
fn schema_from_the_macro() {
    let s = Item::schema();
    assert_eq!(Item::TABLE, "items");
    let cols: Vec<(&str, &str)> = s.columns.iter().map(|c| (c.name.as_str(), c.ty.as_str())).collect();
    assert_eq!(cols, vec![("id", "string"), ("owner", "address"), ("status", "string"), ("updated", "i64"), ("note", "option<string>")]);
    assert_eq!(s.primary_key, vec!["id".to_string()]);
    assert_eq!(s.indexes, vec![Index::new("by_owner", &["owner"], false), Index::new("by_status", &["status", "updated"], false)]);
    let p = Pair::schema();
    assert_eq!(p.primary_key, vec!["a".to_string(), "b".to_string()]);
    assert_eq!(p.indexes[0], Index::new("by_sku", &["sku"], true));
    // golden encodings
    assert_eq!(encode_to_vec(&Column::new("a", "u8")), vec![1, 0, 0, 0, b'a', 2, 0, 0, 0, b'u', b'8']);
    assert_eq!(Column::abi_type(), "struct{name:string,type:string}");
    assert_eq!(Schema::abi_type(), "struct{columns:list<struct{name:string,type:string}>,primary_key:list<string>,indexes:list<struct{name:string,columns:list<string>,unique:bool}>}");
    assert_eq!(
        QueryArgs::abi_type(),
        "struct{owner:address,table:string,index:string,prefix:bytes,lower:option<bytes>,upper:option<bytes>,reverse:bool,filters:list<struct{column:string,op:string,value:bytes}>,limit:u32,cursor:bytes}"
    );
    assert_eq!(QueryResult::abi_type(), "struct{rows:list<bytes>,cursor:bytes}");
    let r = Pair { a: 1, b: "x".into(), sku: None, flag: true };
    assert_eq!(r.key_bytes(), encode_to_vec(&(1u64, "x")));
}

#[test]
fn crud_and_errors() {
    testing::reset();
    let alice = addr("alice");
    run(|c| Item::create(c)).unwrap();
    assert_eq!(run(|c| Item::create(c)), Err(alloc::format!("table already exists: \"items\" of {}", testing::contract())));
    run(move |c| item("a", alice, "new", 5).insert(c)).unwrap();
    assert_eq!(run(move |c| item("a", alice, "new", 6).insert(c)), Err("duplicate key: \"items\" already has a row with this primary key".into()));
    assert_eq!(run(move |c| item("b", alice, "new", 6).update(c)), Err("row not found: \"items\" has no row with this primary key".into()));
    run(move |c| item("b", alice, "new", 6).upsert(c)).unwrap();
    run(move |c| {
        let mut r = Item::get(c, "a")?.ok_or("missing")?;
        r.note = Some("hi".into());
        r.update(c)
    })
    .unwrap();
    assert_eq!(run(|c| Item::get(c, "a")).unwrap().unwrap().note.as_deref(), Some("hi"));
    assert_eq!(run(|c| Item::get(c, &String::from("zz"))), Ok(None));
    run(|c| Item::delete(c, "b")).unwrap();
    assert_eq!(run(|c| Item::delete(c, "b")), Err("row not found: \"items\" has no row with this primary key".into()));
    assert_eq!(run(|c| tables(c, &crate::self_address())), Ok(vec!["items".to_string()]));
    assert_eq!(run(|c| schema(c, &crate::self_address(), "items")), Ok(Item::schema()));
    assert_eq!(testing::table_rows(testing::contract(), "items").len(), 1);
    // missing table, bad row
    assert!(run(|c| Pair::get(c, &(1u64, "x"))).unwrap_err().starts_with("no such table: \"pairs\" of "));
    let me = testing::contract();
    assert!(run(move |c| insert(c, &me, "items", &[1, 2, 3])).unwrap_err().starts_with("invalid row: "));
    // a failed call reverts its table writes
    assert!(run(move |c| {
        item("c", alice, "new", 1).insert(c)?;
        Err::<(), crate::Error>("later failure".into())
    })
    .is_err());
    assert_eq!(run(|c| Item::get(c, "c")), Ok(None));
}

#[test]
fn ownership_and_grants() {
    testing::reset();
    let owner = addr("owner-contract");
    let other = addr("other-contract");
    testing::set_contract(owner);
    run(|c| Item::create(c)).unwrap();
    run(move |c| item("a", owner, "new", 1).insert(c)).unwrap();
    // another contract reads but cannot write the owner's table
    testing::set_contract(other);
    assert_eq!(run(move |c| Item::table_of(owner).get(c, "a")).unwrap().unwrap().id, "a");
    let e = run(move |c| Item::table_of(owner).insert(c, &item("b", owner, "new", 1))).unwrap_err();
    assert!(e.starts_with("not allowed to write this table: ") && e.contains(" may not write \"items\" of "), "{}", e);
    // its own table of the same name is separate
    run(|c| Item::create(c)).unwrap();
    assert_eq!(run(|c| Item::get(c, "a")), Ok(None));
    testing::set_contract(owner);
    run(move |c| grant(c, "items", &other, true)).unwrap();
    testing::set_contract(other);
    run(move |c| Item::table_of(owner).insert(c, &item("b", other, "new", 1))).unwrap();
    testing::set_contract(owner);
    assert_eq!(run(|c| Item::get(c, "b")).unwrap().unwrap().owner, other);
}

#[test]
fn read_only_calls_cannot_write() {
    testing::reset();
    run(|c| Item::create(c)).unwrap();
    entry! {
        // not a view, so it compiles; run read-only by the host, it fails
        fn ro_write(c: &mut crate::Ctx) -> Result<(), crate::Error> { item("a", addr("x"), "s", 1).insert(c) }
        #[view]
        fn ro_read(v: &crate::View) -> Result<Option<Item>, crate::Error> { Item::get(v, "a") }
    }
    assert_eq!(testing::query::<_, ()>(ro_write, &()), Err("write in a read-only call".into()));
    assert_eq!(testing::query::<_, Option<Item>>(ro_read, &()), Ok(None));
}

#[test]
fn scans_prefix_bounds_filters_paging() {
    testing::reset();
    let (alice, bob) = (addr("alice"), addr("bob"));
    run(move |c| {
        Item::create(c)?;
        for (id, o, s, t) in [("a", alice, "shipped", 30), ("b", bob, "new", 10), ("c", alice, "new", 20), ("d", alice, "shipped", 10), ("e", bob, "shipped", 20), ("f", alice, "new", -5)] {
            item(id, o, s, t).insert(c)?;
        }
        Ok(())
    })
    .unwrap();
    // primary key, both directions
    assert_eq!(ids(&run(|c| Item::query().fetch(c)).unwrap().rows), ["a", "b", "c", "d", "e", "f"]);
    assert_eq!(ids(&run(|c| Item::query().reverse().fetch(c)).unwrap().rows), ["f", "e", "d", "c", "b", "a"]);
    // pk range: [b, e)
    assert_eq!(ids(&run(|c| Item::query().lower("b").upper("e").fetch(c)).unwrap().rows), ["b", "c", "d"]);
    // by owner: prefix, ordered by pk within
    assert_eq!(ids(&run(move |c| Item::query().index("by_owner").eq(&alice).fetch(c)).unwrap().rows), ["a", "c", "d", "f"]);
    // by status, newest first; signed time order
    assert_eq!(ids(&run(|c| Item::query().index("by_status").eq("new").reverse().fetch(c)).unwrap().rows), ["c", "b", "f"]);
    assert_eq!(ids(&run(|c| Item::query().index("by_status").eq("new").fetch(c)).unwrap().rows), ["f", "b", "c"]);
    // status prefix + time bounds
    assert_eq!(ids(&run(|c| Item::query().index("by_status").eq("shipped").lower(&10i64).upper(&30i64).fetch(c)).unwrap().rows), ["d", "e"]);
    // full-index prefix
    assert_eq!(ids(&run(|c| Item::query().index("by_status").eq("shipped").eq(&20i64).fetch(c)).unwrap().rows), ["e"]);
    // whole index: strings by bytes ("new" < "shipped")
    assert_eq!(ids(&run(|c| Item::query().index("by_status").fetch(c)).unwrap().rows), ["f", "b", "c", "d", "e", "a"]);
    // filters
    assert_eq!(
        ids(&run(move |c| Item::query().index("by_owner").eq(&alice).filter("status", Op::Eq, "shipped").fetch(c)).unwrap().rows),
        ["a", "d"]
    );
    assert_eq!(ids(&run(|c| Item::query().filter("updated", Op::Ge, &20i64).filter("status", Op::Ne, "new").fetch(c)).unwrap().rows), ["a", "e"]);
    assert_eq!(ids(&run(|c| Item::query().filter("note", Op::Eq, &Option::<String>::None).limit(2).fetch(c)).unwrap().rows), ["a", "b"]);
    // paging by hand
    let p1 = run(|c| Item::query().limit(4).fetch(c)).unwrap();
    assert_eq!(ids(&p1.rows), ["a", "b", "c", "d"]);
    assert!(!p1.is_last());
    let cur = p1.cursor.0.clone();
    let p2 = run(move |c| Item::query().limit(4).cursor(&cur).fetch(c)).unwrap();
    assert_eq!(ids(&p2.rows), ["e", "f"]);
    assert!(p2.is_last());
    // the cursor holds a position, not an offset: a row inserted before it is not repeated
    let p1 = run(|c| Item::query().index("by_owner").eq(&addr("alice")).reverse().limit(3).fetch(c)).unwrap();
    assert_eq!(ids(&p1.rows), ["f", "d", "c"]);
    run(move |c| item("0", alice, "new", 0).insert(c)).unwrap();
    let cur = p1.cursor.0.clone();
    let p2 = run(move |c| Item::query().index("by_owner").eq(&alice).reverse().limit(3).cursor(&cur).fetch(c)).unwrap();
    assert_eq!(ids(&p2.rows), ["a", "0"]);
    // iterator over pages of 2
    let all: Vec<Item> = run(|c| Ok(Item::query().limit(2).iter(c).collect())).unwrap();
    assert_eq!(ids(&all), ["0", "a", "b", "c", "d", "e", "f"]);
    let rev: Vec<Item> = run(move |c| Ok(Item::query().index("by_owner").eq(&bob).reverse().limit(1).iter(c).collect())).unwrap();
    assert_eq!(ids(&rev), ["e", "b"]);
    // errors
    assert_eq!(run(|c| Item::query().index("nope").fetch(c)).unwrap_err(), "invalid query: table \"items\" has no index \"nope\"");
    assert_eq!(run(|c| Item::query().limit(1001).fetch(c)).unwrap_err(), "invalid query: limit 1001, at most 1000");
    assert_eq!(run(|c| Item::query().filter("status", Op::Eq, &1u8).fetch(c)).unwrap_err().split(": m").next(), Some("invalid query: filter 0: value"));
    assert_eq!(run(|c| Item::query().eq("a").eq("b").fetch(c)).unwrap_err(), "invalid query: prefix holds more than the 1 key columns");
    assert_eq!(run(|c| Item::query().eq("a").lower("b").fetch(c)).unwrap_err(), "invalid query: bounds need a key column after the 1 prefix columns; the key has 1");
}

#[test]
fn composite_keys_unique_indexes_alter() {
    testing::reset();
    run(|c| Pair::create(c)).unwrap();
    let p = |a: u64, b: &str, sku: Option<&str>, flag: bool| Pair { a, b: b.to_string(), sku: sku.map(|s| s.to_string()), flag };
    run(move |c| {
        p(2, "x", Some("s1"), true).insert(c)?;
        p(1, "y", None, false).insert(c)?;
        p(1, "x", Some("s3"), true).insert(c)?;
        p(300, "a", Some("s2"), false).insert(c)
    })
    .unwrap();
    assert_eq!(run(move |c| p(9, "z", Some("s1"), true).insert(c)), Err("duplicate key: unique index by_sku of \"pairs\" already has this value".into()));
    // updating a row keeps its own unique value
    run(move |c| p(2, "x", Some("s1"), false).update(c)).unwrap();
    // as on chain, a None in a unique index is never a duplicate
    run(move |c| p(9, "z", None, true).insert(c)).unwrap();
    run(|c| Pair::delete(c, &(9u64, "z"))).unwrap();
    let keys = |rows: Vec<Pair>| rows.into_iter().map(|r| (r.a, r.b)).collect::<Vec<_>>();
    // numeric order of u64 (300 > 2), then b
    assert_eq!(keys(run(|c| Pair::query().fetch(c)).unwrap().rows), vec![(1, "x".to_string()), (1, "y".into()), (2, "x".into()), (300, "a".into())]);
    assert_eq!(keys(run(|c| Pair::query().eq(&1u64).fetch(c)).unwrap().rows), vec![(1, "x".to_string()), (1, "y".into())]);
    // bools: false first; None first
    assert_eq!(keys(run(|c| Pair::query().index("by_flag").fetch(c)).unwrap().rows), vec![(1, "y".to_string()), (2, "x".into()), (300, "a".into()), (1, "x".into())]);
    assert_eq!(keys(run(|c| Pair::query().index("by_sku").fetch(c)).unwrap().rows)[0], (1, "y".to_string()));
    assert_eq!(run(|c| Pair::get(c, &(1u64, "y"))).unwrap().unwrap().flag, false);
    run(|c| Pair::delete(c, &(1u64, "y"))).unwrap();
    assert_eq!(run(|c| Pair::get(c, &(1u64, "y"))), Ok(None));
    // alter: option column appended, existing rows read it as None
    run(|c| alter_table(c, "pairs", &[Column::new("memo", "option<string>")], &[Index::new("by_memo", &["memo"], false)])).unwrap();
    assert_eq!(run(|c| alter_table(c, "pairs", &[Column::new("n", "u64")], &[])), Err("invalid schema: added column \"n\" has type u64; added columns must be option<T>".into()));
    let me = testing::contract();
    let rows = run(move |c| Ok(query(c, &QueryArgs { owner: me, table: "pairs".into(), index: "by_memo".into(), ..QueryArgs::default() })?.rows)).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(*rows[0].last().unwrap(), 0);
    assert_eq!(run(move |c| schema(c, &me, "pairs")).unwrap().columns.len(), 5);
    // bad schemas
    let bad = |s: Schema| run(move |c| create_table(c, "t", &s));
    assert_eq!(bad(Schema::default()), Err("invalid schema: 0 columns, want 1..64".into()));
    assert_eq!(bad(Schema { columns: vec![Column::new("a", "u64")], ..Schema::default() }), Err("invalid schema: primary key has 0 columns, want 1..4".into()));
    assert_eq!(
        bad(Schema { columns: vec![Column::new("a", "float")], primary_key: vec!["a".into()], ..Schema::default() }),
        Err("invalid schema: column \"a\": unknown type \"float\": no type \"float\"".into())
    );
    assert_eq!(
        bad(Schema { columns: vec![Column::new("a", "list<u8>")], primary_key: vec!["a".into()], ..Schema::default() }),
        Err("invalid schema: primary key: column \"a\" has type list<u8>, which cannot be a key".into())
    );
    assert_eq!(bad(Schema { columns: vec![Column::new("a", "u8")], primary_key: vec!["b".into()], ..Schema::default() }), Err("invalid schema: primary key: no column \"b\"".into()));
}
