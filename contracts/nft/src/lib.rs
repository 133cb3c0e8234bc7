//! nft: a non-fungible token collection. The instantiating account is the
//! issuer and the only one who mints; owners transfer their tokens.
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

use alloc::string::String;
use alloc::vec::Vec;
use vsys_sdk::{fail, caller, entry, events, vsys_struct, Address, Ctx, Event, Item, Map, Result, View};

vsys_sdk::abi!();

vsys_struct! {
    pub struct InitArgs { pub name: String }
    pub struct MintArgs { pub id: String, pub uri: String }
    pub struct TransferArgs { pub id: String, pub to: Address }
    pub struct IdArgs { pub id: String }
    pub struct OwnerArgs { pub owner: Address }
    pub struct Info { pub name: String, pub issuer: Address, pub count: u64 }
    pub struct Token { pub owner: Address, pub uri: String }
}

events! {
    pub struct MintEvent as "mint" { pub id: String, pub to: Address, pub uri: String }
    pub struct TransferEvent as "transfer" { pub id: String, pub from: Address, pub to: Address }
}

pub const MAX_ID_LEN: usize = 128;
pub const MAX_URI_LEN: usize = 1024;

static INFO: Item<Info> = Item::new(b"info");
/// "t:" ‖ id → token.
static TOKENS: Map<String, Token> = Map::new(b"t:");
/// "h:" ‖ owner ‖ id → 1 (index of holdings; iterated by owner prefix,
/// ids in byte order).
static HOLDINGS: Map<(Address, String), u8> = Map::new(b"h:");

fn token(v: &View, id: &str) -> Result<Token> {
    Ok(TOKENS.get(v, &String::from(id)).ok_or_else(|| alloc::format!("no token \"{}\"", id))?)
}

entry! {
    fn init(c: &mut Ctx, a: InitArgs) -> Result<()> {
        if INFO.exists(c) {
            fail!("already initialised");
        }
        INFO.set(c, &Info { name: a.name, issuer: caller(), count: 0 });
        Ok(())
    }

    /// Issuer only: mints token id (1 to 128 bytes) with its uri to the issuer.
    fn mint(c: &mut Ctx, a: MintArgs) -> Result<()> {
        let mut info = INFO.load(c, "collection");
        let who = caller();
        if who != info.issuer {
            fail!("only the issuer can mint");
        }
        if a.id.is_empty() || a.id.len() > MAX_ID_LEN {
            fail!("id must be 1 to {} bytes", MAX_ID_LEN);
        }
        if a.uri.len() > MAX_URI_LEN {
            fail!("uri longer than {} bytes", MAX_URI_LEN);
        }
        if TOKENS.has(c, &a.id) {
            fail!("token \"{}\" exists", a.id);
        }
        info.count = info.count.checked_add(1).ok_or("too many tokens")?;
        INFO.set(c, &info);
        TOKENS.set(c, &a.id, &Token { owner: who, uri: a.uri.clone() });
        HOLDINGS.set(c, &(who, a.id.clone()), &1);
        MintEvent { id: a.id, to: who, uri: a.uri }.emit(c);
        Ok(())
    }

    /// Owner only: transfers token id to to.
    fn transfer(c: &mut Ctx, a: TransferArgs) -> Result<()> {
        let mut t = token(c, &a.id)?;
        let from = caller();
        if t.owner != from {
            fail!("only the owner can transfer");
        }
        HOLDINGS.remove(c, &(from, a.id.clone()));
        HOLDINGS.set(c, &(a.to, a.id.clone()), &1);
        t.owner = a.to;
        TOKENS.set(c, &a.id, &t);
        TransferEvent { id: a.id, from, to: a.to }.emit(c);
        Ok(())
    }

    /// The owner of token id; fails if it does not exist.
    #[view]
    fn owner_of(v: &View, a: IdArgs) -> Result<Address> {
        Ok(token(v, &a.id)?.owner)
    }

    /// The uri of token id; fails if it does not exist.
    #[view]
    fn uri_of(v: &View, a: IdArgs) -> Result<String> {
        Ok(token(v, &a.id)?.uri)
    }

    /// The ids owned by owner, in byte order.
    #[view]
    fn tokens_of(v: &View, a: OwnerArgs) -> Result<Vec<String>> {
        Ok(HOLDINGS.iter_prefix(v, &a.owner, false).map(|((_, id), _)| id).collect())
    }

    /// Collection name, issuer and number of tokens minted.
    #[view]
    fn info(v: &View) -> Result<Info> {
        Ok(INFO.load(v, "collection"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;
    use vsys_sdk::testing::{self, addr};
    use vsys_sdk::AbiType;

    fn setup() -> Address {
        testing::reset();
        let issuer = addr("issuer");
        testing::set_caller(issuer);
        testing::exec::<_, ()>(init, &InitArgs { name: "Art".into() }).unwrap();
        issuer
    }

    fn mint_one(id: &str) {
        testing::exec::<_, ()>(mint, &MintArgs { id: id.into(), uri: alloc::format!("ipfs://{}", id) }).unwrap();
    }

    fn owned(a: Address) -> Vec<String> {
        testing::query(tokens_of, &OwnerArgs { owner: a }).unwrap()
    }

    #[test]
    fn abi_matches_types() {
        testing::assert_abi_method(ABI_JSON, "mint", &MintArgs::abi_type(), "struct{}", false);
        testing::assert_abi_method(ABI_JSON, "transfer", &TransferArgs::abi_type(), "struct{}", false);
        testing::assert_abi_method(ABI_JSON, "owner_of", &IdArgs::abi_type(), "address", true);
        testing::assert_abi_method(ABI_JSON, "uri_of", &IdArgs::abi_type(), "string", true);
        testing::assert_abi_method(ABI_JSON, "tokens_of", &OwnerArgs::abi_type(), "list<string>", true);
        testing::assert_abi_method(ABI_JSON, "info", "struct{}", &Info::abi_type(), true);
        testing::assert_abi_event(ABI_JSON, "mint", &MintEvent::abi_type());
        testing::assert_abi_event(ABI_JSON, "transfer", &TransferEvent::abi_type());
        assert_eq!(testing::abi_entry_type(ABI_JSON, "init"), Some(InitArgs::abi_type()));
    }

    #[test]
    fn mint_transfer_index() {
        let issuer = setup();
        let bob = addr("bob");
        for id in ["b", "a", "cc"] {
            mint_one(id);
        }
        assert_eq!(owned(issuer), vec!["a".to_string(), "b".into(), "cc".into()]);
        testing::exec::<_, ()>(transfer, &TransferArgs { id: "b".into(), to: bob }).unwrap();
        assert_eq!(owned(issuer), vec!["a".to_string(), "cc".into()]);
        assert_eq!(owned(bob), vec!["b".to_string()]);
        assert_eq!(testing::query(owner_of, &IdArgs { id: "b".into() }), Ok(bob));
        assert_eq!(testing::query(uri_of, &IdArgs { id: "b".into() }), Ok("ipfs://b".to_string()));
        assert_eq!(testing::query::<_, Info>(info, &()).unwrap().count, 3);
        let ev = testing::events();
        assert_eq!(ev.len(), 4);
        assert_eq!(ev[3].decode::<TransferEvent>(), TransferEvent { id: "b".into(), from: issuer, to: bob });
        assert_eq!(ev[0].decode::<MintEvent>(), MintEvent { id: "b".into(), to: issuer, uri: "ipfs://b".into() });
    }

    #[test]
    fn tokens_of_in_byte_order() {
        // ids order by bytes (the map key encoding), not by length first
        let issuer = setup();
        for id in ["b", "ab", "a\u{0}", "cc", "a"] {
            mint_one(id);
        }
        assert_eq!(owned(issuer), vec!["a".to_string(), "a\u{0}".into(), "ab".into(), "b".into(), "cc".into()]);
    }

    #[test]
    fn permissions_and_errors() {
        setup();
        mint_one("x");
        let e = testing::exec::<_, ()>(mint, &MintArgs { id: "x".into(), uri: String::new() }).unwrap_err();
        assert_eq!(e, "token \"x\" exists");
        assert_eq!(
            testing::exec::<_, ()>(mint, &MintArgs { id: String::new(), uri: String::new() }),
            Err("id must be 1 to 128 bytes".into())
        );
        testing::set_caller(addr("mallory"));
        assert_eq!(
            testing::exec::<_, ()>(mint, &MintArgs { id: "y".into(), uri: String::new() }),
            Err("only the issuer can mint".into())
        );
        assert_eq!(
            testing::exec::<_, ()>(transfer, &TransferArgs { id: "x".into(), to: addr("mallory") }),
            Err("only the owner can transfer".into())
        );
        assert_eq!(testing::query::<_, Address>(owner_of, &IdArgs { id: "nope".into() }), Err("no token \"nope\"".into()));
        assert!(owned(addr("mallory")).is_empty());
    }
}
