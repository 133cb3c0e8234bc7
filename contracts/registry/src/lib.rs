//! registry: a supply-chain item registry on a table of the database module.
//!
//! `init` creates the table `items` (owned by this contract). Anyone
//! registers items, which they then own; the owner changes an item's status
//! or transfers it. Reads page through the table's indexes: `items_of` by
//! owner (`by_owner`), `by_status` by status, most recently updated first
//! (`by_status(status, updated)` scanned in reverse).
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use vsys_sdk::{fail, block_time, caller, db, entry, events, table, vsys_struct, Address, Bytes, Ctx, Event, Result, View};

vsys_sdk::abi!(tables = [Item]);

table! {
    /// A row of table `items`.
    pub struct Item in "items" {
        pub id: String,
        pub owner: Address,
        pub status: String,
        /// Block time of `register`, Unix ns.
        pub created: i64,
        /// Block time of the last change, Unix ns.
        pub updated: i64,
        pub note: Option<String>,
    }
    primary_key(id);
    index by_owner(owner);
    index by_status(status, updated);
}

vsys_struct! {
    pub struct RegisterArgs { pub id: String, pub note: Option<String> }
    pub struct SetStatusArgs { pub id: String, pub status: String }
    pub struct TransferArgs { pub id: String, pub to: Address }
    pub struct IdArgs { pub id: String }
    pub struct ItemsOfArgs { pub owner: Address, pub limit: u32, pub cursor: Bytes }
    pub struct ByStatusArgs { pub status: String, pub limit: u32, pub cursor: Bytes }
    /// A page of items and the cursor of the next page (empty: none).
    pub struct ItemsPage { pub items: Vec<Item>, pub cursor: Bytes }
}

events! {
    pub struct RegisteredEvent as "registered" { pub id: String, pub owner: Address, pub note: Option<String> }
    pub struct StatusChangedEvent as "status_changed" { pub id: String, pub from: String, pub to: String }
    pub struct TransferredEvent as "transferred" { pub id: String, pub from: Address, pub to: Address }
}

pub const MAX_ID_LEN: usize = 128;
pub const MAX_NOTE_LEN: usize = 256;
pub const REGISTERED: &str = "registered";
pub const STATUSES: [&str; 4] = [REGISTERED, "in_transit", "delivered", "lost"];

/// The item, or "no item …".
fn load(v: &View, id: &str) -> Result<Item> {
    Ok(Item::get(v, id)?.ok_or_else(|| format!("no item \"{}\"", id))?)
}

/// The item, if the caller owns it.
fn owned(v: &View, id: &str) -> Result<Item> {
    let it = load(v, id)?;
    if it.owner != caller() {
        fail!("only the owner can change an item");
    }
    Ok(it)
}

fn check_limit(limit: u32) -> Result<()> {
    if limit > db::MAX_LIMIT {
        fail!("limit at most {}", db::MAX_LIMIT);
    }
    Ok(())
}

fn page(v: &View, q: db::Query<Item>, limit: u32, cursor: &Bytes) -> Result<ItemsPage> {
    check_limit(limit)?;
    let p = q.limit(limit).cursor(cursor).fetch(v)?;
    Ok(ItemsPage { items: p.rows, cursor: p.cursor })
}

entry! {
    fn init(c: &mut Ctx) -> Result<()> {
        Item::create(c)
    }

    /// Registers item id (1 to 128 bytes, note at most 256) owned by the caller, status
    /// "registered".
    fn register(c: &mut Ctx, a: RegisterArgs) -> Result<()> {
        if a.id.is_empty() || a.id.len() > MAX_ID_LEN {
            fail!("id must be 1 to {} bytes", MAX_ID_LEN);
        }
        if a.note.as_ref().map_or(false, |n| n.len() > MAX_NOTE_LEN) {
            fail!("note longer than {} bytes", MAX_NOTE_LEN);
        }
        if Item::get(c, &a.id)?.is_some() {
            fail!("item \"{}\" exists", a.id);
        }
        let now = block_time();
        let owner = caller();
        let it = Item { id: a.id, owner, status: String::from(REGISTERED), created: now, updated: now, note: a.note };
        it.insert(c)?;
        RegisteredEvent { id: it.id, owner, note: it.note }.emit(c);
        Ok(())
    }

    /// Owner only: sets the status of item id to registered, in_transit, delivered or lost.
    fn set_status(c: &mut Ctx, a: SetStatusArgs) -> Result<()> {
        if !STATUSES.contains(&a.status.as_str()) {
            fail!("unknown status \"{}\" (registered, in_transit, delivered, lost)", a.status);
        }
        let mut it = owned(c, &a.id)?;
        if it.status == a.status {
            fail!("item \"{}\" is already {}", a.id, a.status);
        }
        let from = core::mem::replace(&mut it.status, a.status.clone());
        it.updated = block_time();
        it.update(c)?;
        StatusChangedEvent { id: a.id, from, to: a.status }.emit(c);
        Ok(())
    }

    /// Owner only: makes to the owner of item id.
    fn transfer(c: &mut Ctx, a: TransferArgs) -> Result<()> {
        let mut it = owned(c, &a.id)?;
        if a.to == it.owner {
            fail!("already the owner");
        }
        let from = it.owner;
        it.owner = a.to;
        it.updated = block_time();
        it.update(c)?;
        TransferredEvent { id: a.id, from, to: a.to }.emit(c);
        Ok(())
    }

    /// Item id, or null.
    #[view]
    fn item(v: &View, a: IdArgs) -> Result<Option<Item>> {
        Item::get(v, &a.id)
    }

    /// Items of owner by id, a page of limit (0: 100, at most 1000) from cursor ("0x": first
    /// page); the next cursor, "0x" after the last page.
    #[view]
    fn items_of(v: &View, a: ItemsOfArgs) -> Result<ItemsPage> {
        page(v, Item::query().index("by_owner").eq(&a.owner), a.limit, &a.cursor)
    }

    /// Items with status, most recently updated first; paged like items_of.
    #[view]
    fn by_status(v: &View, a: ByStatusArgs) -> Result<ItemsPage> {
        page(v, Item::query().index("by_status").eq(&a.status).reverse(), a.limit, &a.cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;
    use vsys_sdk::testing::{self, addr};
    use vsys_sdk::AbiType;

    const T0: i64 = 1_700_000_000_000_000_000;
    const SEC: i64 = 1_000_000_000;

    fn setup() -> Address {
        testing::reset();
        let alice = addr("alice");
        testing::set_caller(alice);
        testing::set_block(1, T0);
        testing::exec::<_, ()>(init, &()).unwrap();
        alice
    }

    fn reg(id: &str) -> Result<(), String> {
        testing::exec(register, &RegisterArgs { id: id.into(), note: None })
    }

    fn status(id: &str, s: &str) -> Result<(), String> {
        testing::exec(set_status, &SetStatusArgs { id: id.into(), status: s.into() })
    }

    fn get(id: &str) -> Option<Item> {
        testing::query(item, &IdArgs { id: id.into() }).unwrap()
    }

    fn ids(p: &ItemsPage) -> Vec<&str> {
        p.items.iter().map(|i| i.id.as_str()).collect()
    }

    fn of(owner: Address, limit: u32, cursor: &Bytes) -> Result<ItemsPage, String> {
        testing::query(items_of, &ItemsOfArgs { owner, limit, cursor: cursor.clone() })
    }

    fn with_status(s: &str, limit: u32, cursor: &Bytes) -> Result<ItemsPage, String> {
        testing::query(by_status, &ByStatusArgs { status: s.into(), limit, cursor: cursor.clone() })
    }

    #[test]
    fn abi_matches_types() {
        testing::assert_abi_method(ABI_JSON, "register", &RegisterArgs::abi_type(), "struct{}", false);
        testing::assert_abi_method(ABI_JSON, "set_status", &SetStatusArgs::abi_type(), "struct{}", false);
        testing::assert_abi_method(ABI_JSON, "transfer", &TransferArgs::abi_type(), "struct{}", false);
        testing::assert_abi_method(ABI_JSON, "item", &IdArgs::abi_type(), &Option::<Item>::abi_type(), true);
        testing::assert_abi_method(ABI_JSON, "items_of", &ItemsOfArgs::abi_type(), &ItemsPage::abi_type(), true);
        testing::assert_abi_method(ABI_JSON, "by_status", &ByStatusArgs::abi_type(), &ItemsPage::abi_type(), true);
        testing::assert_abi_event(ABI_JSON, "registered", &RegisteredEvent::abi_type());
        testing::assert_abi_event(ABI_JSON, "status_changed", &StatusChangedEvent::abi_type());
        testing::assert_abi_event(ABI_JSON, "transferred", &TransferredEvent::abi_type());
        assert_eq!(testing::abi_entry_type(ABI_JSON, "init"), Some("struct{}".to_string()));
        // the table's columns are the row type's fields
        let cols: Vec<String> = Item::schema().columns.iter().map(|c| alloc::format!("{}:{}", c.name, c.ty)).collect();
        assert_eq!(alloc::format!("struct{{{}}}", cols.join(",")), Item::abi_type());
    }

    #[test]
    fn init_creates_the_table_once() {
        setup();
        let me = testing::contract();
        let s = testing::query::<_, ()>(init, &());
        assert_eq!(s, Err("write in a read-only call".into()));
        assert_eq!(testing::exec::<_, ()>(init, &()), Err(alloc::format!("table already exists: \"items\" of {}", testing::contract())));
        assert_eq!(testing::table_rows(me, "items").len(), 0);
    }

    #[test]
    fn register_status_transfer_flow() {
        let alice = setup();
        let bob = addr("bob");
        testing::exec::<_, ()>(register, &RegisterArgs { id: "crate-1".into(), note: Some("fragile".into()) }).unwrap();
        let it = get("crate-1").unwrap();
        assert_eq!(
            it,
            Item { id: "crate-1".into(), owner: alice, status: "registered".into(), created: T0, updated: T0, note: Some("fragile".into()) }
        );
        testing::set_block(2, T0 + 5 * SEC);
        status("crate-1", "in_transit").unwrap();
        testing::set_block(3, T0 + 9 * SEC);
        testing::exec::<_, ()>(transfer, &TransferArgs { id: "crate-1".into(), to: bob }).unwrap();
        let it = get("crate-1").unwrap();
        assert_eq!((it.owner, it.status.as_str(), it.created, it.updated), (bob, "in_transit", T0, T0 + 9 * SEC));
        testing::set_caller(bob);
        status("crate-1", "delivered").unwrap();
        assert_eq!(get("crate-1").unwrap().status, "delivered");
        assert_eq!(get("nope"), None);

        let ev = testing::events();
        let names: Vec<&str> = ev.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["registered", "status_changed", "transferred", "status_changed"]);
        assert_eq!(ev[0].decode::<RegisteredEvent>(), RegisteredEvent { id: "crate-1".into(), owner: alice, note: Some("fragile".into()) });
        assert_eq!(ev[1].decode::<StatusChangedEvent>(), StatusChangedEvent { id: "crate-1".into(), from: "registered".into(), to: "in_transit".into() });
        assert_eq!(ev[2].decode::<TransferredEvent>(), TransferredEvent { id: "crate-1".into(), from: alice, to: bob });
        assert_eq!(ev[3].decode::<StatusChangedEvent>().to, "delivered");
        // the row lives in the database module's table owned by this contract
        assert_eq!(testing::table_rows(testing::contract(), "items").len(), 1);
    }

    #[test]
    fn ownership_and_validation_errors() {
        let alice = setup();
        reg("a").unwrap();
        assert_eq!(reg("a"), Err("item \"a\" exists".into()));
        assert_eq!(reg(""), Err("id must be 1 to 128 bytes".into()));
        assert_eq!(reg(&"x".repeat(129)), Err("id must be 1 to 128 bytes".into()));
        assert_eq!(
            testing::exec::<_, ()>(register, &RegisterArgs { id: "n".into(), note: Some("x".repeat(257)) }),
            Err("note longer than 256 bytes".into())
        );
        assert_eq!(status("a", "stolen"), Err("unknown status \"stolen\" (registered, in_transit, delivered, lost)".into()));
        assert_eq!(status("a", "registered"), Err("item \"a\" is already registered".into()));
        assert_eq!(status("zz", "lost"), Err("no item \"zz\"".into()));
        assert_eq!(testing::exec::<_, ()>(transfer, &TransferArgs { id: "a".into(), to: alice }), Err("already the owner".into()));
        testing::set_caller(addr("mallory"));
        assert_eq!(status("a", "lost"), Err("only the owner can change an item".into()));
        assert_eq!(
            testing::exec::<_, ()>(transfer, &TransferArgs { id: "a".into(), to: addr("mallory") }),
            Err("only the owner can change an item".into())
        );
        // nothing changed, only the first registration was recorded
        let it = get("a").unwrap();
        assert_eq!((it.owner, it.status.as_str()), (alice, "registered"));
        assert_eq!(testing::events().len(), 1);
        // the table is the registry's: another contract cannot write it
        let registry = testing::contract();
        let row = vsys_sdk::encode_to_vec(&Item { id: "forged".into(), owner: addr("mallory"), ..Item::default() });
        let args = db::RowArgs { owner: registry, table: "items".into(), row: Bytes(row) };
        testing::set_contract(addr("intruder"));
        let e = testing::call_entry(forward_insert, &vsys_sdk::encode_to_vec(&args)).unwrap_err();
        testing::set_contract(registry);
        assert!(e.contains("may not write \"items\""), "{}", e);
        assert_eq!(get("forged"), None);
    }

    vsys_sdk::entry! {
        /// Some other contract trying to write the registry's table.
        fn forward_insert(c: &mut Ctx, a: db::RowArgs) -> Result<()> {
            c.call_with(&db::MODULE, "insert", &a, &[])
        }
    }

    #[test]
    fn paging_by_owner_and_status() {
        let alice = setup();
        let bob = addr("bob");
        // alice: i0..i6 at increasing times; bob: b0, b1
        for n in 0..7 {
            testing::set_block(10 + n as u64, T0 + n * SEC);
            reg(&alloc::format!("i{}", n)).unwrap();
        }
        testing::set_caller(bob);
        for n in 0..2 {
            testing::set_block(20 + n as u64, T0 + (20 + n) * SEC);
            reg(&alloc::format!("b{}", n)).unwrap();
        }
        // by owner, pages of 3, by id
        let p1 = of(alice, 3, &Bytes::default()).unwrap();
        assert_eq!(ids(&p1), ["i0", "i1", "i2"]);
        assert!(!p1.cursor.is_empty());
        let p2 = of(alice, 3, &p1.cursor).unwrap();
        assert_eq!(ids(&p2), ["i3", "i4", "i5"]);
        let p3 = of(alice, 3, &p2.cursor).unwrap();
        assert_eq!(ids(&p3), ["i6"]);
        assert!(p3.cursor.is_empty());
        assert_eq!(ids(&of(bob, 0, &Bytes::default()).unwrap()), ["b0", "b1"]);
        assert!(of(addr("nobody"), 0, &Bytes::default()).unwrap().items.is_empty());
        assert_eq!(of(alice, 1001, &Bytes::default()).unwrap_err(), "limit at most 1000");
        // by status, newest first
        testing::set_caller(alice);
        testing::set_block(30, T0 + 30 * SEC);
        status("i1", "in_transit").unwrap();
        testing::set_block(31, T0 + 31 * SEC);
        status("i4", "in_transit").unwrap();
        let reg_all: Vec<String> = {
            let mut out = Vec::new();
            let mut cursor = Bytes::default();
            loop {
                let p = with_status("registered", 2, &cursor).unwrap();
                out.extend(p.items.iter().map(|i| i.id.clone()));
                if p.cursor.is_empty() {
                    break;
                }
                cursor = p.cursor;
            }
            out
        };
        assert_eq!(reg_all, ["b1", "b0", "i6", "i5", "i3", "i2", "i0"]);
        assert_eq!(ids(&with_status("in_transit", 0, &Bytes::default()).unwrap()), ["i4", "i1"]);
        assert!(with_status("lost", 0, &Bytes::default()).unwrap().items.is_empty());
        // a transferred item moves between owners' listings
        testing::exec::<_, ()>(transfer, &TransferArgs { id: "i4".into(), to: bob }).unwrap();
        assert_eq!(ids(&of(bob, 0, &Bytes::default()).unwrap()), ["b0", "b1", "i4"]);
        assert_eq!(of(alice, 0, &Bytes::default()).unwrap().items.len(), 6);
        assert_eq!(
            with_status("in_transit", 0, &Bytes::default()).unwrap().items.iter().map(|i| (i.id.as_str(), i.owner)).collect::<Vec<_>>(),
            vec![("i4", bob), ("i1", alice)]
        );
    }
}
