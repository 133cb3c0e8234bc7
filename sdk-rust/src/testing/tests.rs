//! Tests of the SDK against the mock host: entry!, Item/Map, calls, reverts.

use super::*;
use crate::{Address, Bytes, Ctx, Item, Map, View};
use alloc::vec;

crate::vsys_struct! {
    pub struct PutArgs { pub key: String, pub value: u64 }
    pub struct KeyArgs { pub key: String }
    pub struct CallArgs { pub target: Address, pub method: String, pub args: Bytes }
    pub struct Who { pub caller: Address, pub this: Address }
}

static TOTAL: Item<u64> = Item::new(b"total");
static VALUES: Map<String, u64> = Map::new(b"v:");

crate::entry! {
    fn put(c: &mut Ctx, a: PutArgs) -> Result<u64, String> {
        VALUES.set(c, &a.key, &a.value);
        let t = TOTAL.get_or(c, 0).checked_add(a.value).ok_or("overflow")?;
        TOTAL.set(c, &t);
        crate::Event::emit(&PutEvent { key: a.key, value: a.value }, c);
        Ok(t)
    }
    /// The value under key,
    ///   or null.
    #[view]
    fn get_value(v: &View, a: KeyArgs) -> Result<Option<u64>, String> {
        Ok(VALUES.get(v, &a.key))
    }
    /// A view cannot write (that does not compile, see `ctx`), but it can
    /// call a method that writes: that call fails, as on chain.
    #[view]
    fn sneaky(v: &View, a: CallArgs) -> crate::Result<Bytes> {
        Ok(Bytes(v.query(&a.target, &a.method, &a.args)?))
    }
    fn keys(v: &View) -> Result<Vec<String>, String> {
        Ok(VALUES.iter(v, false).map(|(k, _)| k).collect())
    }
    fn fail_after_write(c: &mut Ctx) -> Result<(), String> {
        TOTAL.set(c, &999);
        Err(String::from("nope"))
    }
    fn forward(c: &mut Ctx, a: CallArgs) -> Result<Bytes, String> {
        Ok(Bytes(c.call(&a.target, &a.method, &a.args, &[])?))
    }
    fn who(_c: &mut Ctx) -> Result<Who, String> {
        Ok(Who { caller: crate::caller(), this: crate::self_address() })
    }
}


crate::events! {
    pub struct PutEvent as "put" { pub key: String, pub value: u64 }
}

crate::abi!();

#[test]
fn abi_generated_from_entry_and_events() {
    assert_eq!(
        ABI_JSON,
        concat!(
            r#"{"name":"vsys-sdk","methods":["#,
            r#"{"name":"put","args":"struct{key:string,value:u64}","result":"u64","readonly":false},"#,
            r#"{"name":"get_value","args":"struct{key:string}","result":"option<u64>","readonly":true,"doc":"The value under key, or null."},"#,
            r#"{"name":"sneaky","args":"struct{target:address,method:string,args:bytes}","result":"bytes","readonly":true,"doc":"A view cannot write (that does not compile, see `ctx`), but it can call a method that writes: that call fails, as on chain."},"#,
            r#"{"name":"keys","args":"struct{}","result":"list<string>","readonly":false},"#,
            r#"{"name":"fail_after_write","args":"struct{}","result":"struct{}","readonly":false},"#,
            r#"{"name":"forward","args":"struct{target:address,method:string,args:bytes}","result":"bytes","readonly":false},"#,
            r#"{"name":"who","args":"struct{}","result":"struct{caller:address,this:address}","readonly":false}],"#,
            r#""events":[{"name":"put","type":"struct{key:string,value:u64}"}]}"#
        )
    );
    let m = abi_method(ABI_JSON, "get_value").unwrap();
    assert!(m.readonly);
}

#[test]
fn view_runs_read_only() {
    reset();
    let other = addr("other");
    register_contract(other, &[("put", put)]);
    let args = CallArgs { target: other, method: "put".into(), args: Bytes(encode_to_vec(&PutArgs { key: "k".into(), value: 1 })) };
    assert_eq!(query::<_, Bytes>(sneaky, &args), Err("storage write in a read-only call".into()));
    assert!(storage_of(other).is_empty());
    // not read-only (exec), the view's nested call still runs read-only
    assert_eq!(exec::<_, Bytes>(sneaky, &args), Err("storage write in a read-only call".into()));
    assert!(exec::<_, Bytes>(forward, &args).is_ok());
    assert_eq!(exec::<_, Option<u64>>(get_value, &KeyArgs { key: "k".into() }), Ok(None));
}

#[test]
fn entry_roundtrip_and_storage() {
    reset();
    assert_eq!(exec::<_, u64>(put, &PutArgs { key: "b".into(), value: 2 }), Ok(2));
    assert_eq!(exec::<_, u64>(put, &PutArgs { key: "a".into(), value: 5 }), Ok(7));
    assert_eq!(query::<_, Option<u64>>(get_value, &KeyArgs { key: "a".into() }), Ok(Some(5)));
    assert_eq!(query::<_, Option<u64>>(get_value, &KeyArgs { key: "zz".into() }), Ok(None));
    assert_eq!(query::<_, Vec<String>>(keys, &()), Ok(vec!["a".to_string(), "b".to_string()]));
    let ev = events();
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[1].name, "put");
    assert_eq!(ev[1].decode::<PutArgs>(), PutArgs { key: "a".into(), value: 5 });
    assert_eq!(ev[1].contract, contract());
}

#[test]
fn bad_args_and_errors_revert() {
    reset();
    let e = call_entry(put, &[1, 2, 3]).unwrap_err();
    assert!(e.starts_with("bad args: malformed encoding at offset 0"), "{}", e);
    assert_eq!(call_entry(keys, &[0]).unwrap_err(), "bad args: malformed encoding at offset 0: trailing bytes");
    exec::<_, u64>(put, &PutArgs { key: "a".into(), value: 1 }).unwrap();
    assert_eq!(call_entry(fail_after_write, &[]), Err("nope".to_string()));
    assert_eq!(TOTAL.get(&view()), Some(1));
    // overflow aborts, reverting the map write too
    assert_eq!(exec::<_, u64>(put, &PutArgs { key: "x".into(), value: u64::MAX }), Err("overflow".into()));
    assert!(VALUES.get(&view(), &"x".to_string()).is_none());
    assert_eq!(events().len(), 1);
}

#[test]
fn readonly_refuses_writes() {
    reset();
    let e = query::<_, u64>(put, &PutArgs { key: "a".into(), value: 1 }).unwrap_err();
    assert_eq!(e, "storage write in a read-only call");
}

#[test]
fn cross_contract_calls() {
    reset();
    let other = addr("other");
    register_contract(other, &[("put", put), ("forward", forward)]);
    let me = contract();
    let args = encode_to_vec(&PutArgs { key: "k".into(), value: 3 });
    let out: Bytes = exec(forward, &CallArgs { target: other, method: "put".into(), args: Bytes(args.clone()) }).unwrap();
    assert_eq!(decode_all::<u64>(&out).unwrap(), 3);
    // the write went to the other contract's storage
    assert!(TOTAL.get(&view()).is_none());
    assert!(!storage_of(other).is_empty());
    assert_eq!(events()[0].contract, other);
    // failures are values
    let e = exec::<_, Bytes>(forward, &CallArgs { target: other, method: "nope".into(), args: Bytes(vec![]) });
    assert_eq!(e, Err("unknown method nope".into()));
    let e = exec::<_, Bytes>(forward, &CallArgs { target: addr("nobody"), method: "put".into(), args: Bytes(args) });
    assert!(e.unwrap_err().starts_with("no contract at vsys1"));
    // reentrancy: other forwards back to me
    register_contract(me, &[("put", put)]);
    let inner = encode_to_vec(&CallArgs { target: me, method: "put".into(), args: Bytes(vec![]) });
    let e = exec::<_, Bytes>(forward, &CallArgs { target: other, method: "forward".into(), args: Bytes(inner) });
    assert!(e.unwrap_err().starts_with("reentrant call to"));
    // caller and self inside a nested call
    register_contract(other, &[("who", who)]);
    let out: Bytes = exec(forward, &CallArgs { target: other, method: "who".into(), args: Bytes(vec![]) }).unwrap();
    assert_eq!(decode_all::<Who>(&out).unwrap(), Who { caller: me, this: other });
}

#[test]
fn funds_and_token_module() {
    reset();
    let token = Address::module(1);
    install_token_module(token);
    let alice = addr("alice");
    set_caller(alice);
    set_balance(alice, "VSYS", 100);
    let send = encode_to_vec(&TokenSendArgs { token: "VSYS".into(), to: addr("bob"), amount: 30 });
    let r: Result<Bytes, _> =
        exec_with_funds(forward, &CallArgs { target: token, method: "send".into(), args: Bytes(send.clone()) }, &[coin("VSYS", 40)]);
    // 40 attached to the contract, which then sends 30 of them to bob
    // through the token module (the module's caller is the contract).
    assert!(r.is_ok(), "{:?}", r);
    assert_eq!(balance(alice, "VSYS"), 60);
    assert_eq!(balance(contract(), "VSYS"), 10);
    assert_eq!(balance(addr("bob"), "VSYS"), 30);
    // not enough balance: nothing moves
    let r: Result<Bytes, _> =
        exec_with_funds(forward, &CallArgs { target: token, method: "send".into(), args: Bytes(send) }, &[coin("VSYS", 61)]);
    assert!(r.unwrap_err().starts_with("insufficient funds"));
    assert_eq!(balance(alice, "VSYS"), 60);
}

/// One entry! per module: the token client test has its own.
mod token_client {
    use super::*;
    use crate::AbiType;

    crate::vsys_struct! {
        pub struct PayArgs { pub to: Address, pub amount: u128 }
    }

    crate::entry! {
        fn pay(c: &mut Ctx, a: PayArgs) -> crate::Result<u128> {
            crate::token::send(c, crate::token::NATIVE, &a.to, a.amount).map_err(|e| e.context("pay"))?;
            crate::token::my_balance(c, crate::token::NATIVE)
        }
    }

    #[test]
    fn token_client() {
        reset();
        install_token_module(crate::token::MODULE);
        let alice = addr("alice");
        set_caller(alice);
        set_balance(alice, "VSYS", 100);
        assert_eq!(exec_with_funds(pay, &PayArgs { to: addr("bob"), amount: 30 }, &[coin("VSYS", 50)]), Ok(20u128));
        assert_eq!(balance(addr("bob"), "VSYS"), 30);
        let e = exec_with_funds::<_, u128>(pay, &PayArgs { to: addr("bob"), amount: 30 }, &[coin("VSYS", 5)]).unwrap_err();
        assert!(e.starts_with("pay: insufficient funds"), "{}", e);
        // the client's argument structs encode as the module's
        assert_eq!(crate::token::SendArgs::abi_type(), "struct{token:string,to:address,amount:u128}");
        assert_eq!(crate::token::BalanceArgs::abi_type(), "struct{address:address,token:string}");
    }
}

#[test]
fn hashes_and_signatures() {
    reset();
    assert_eq!(crate::sha256(b"abc")[0], 0xba);
    let pk = mock_pubkey("alice");
    let sig = mock_sign(&pk, b"msg");
    assert!(crate::ed25519_verify(&pk, b"msg", &sig));
    assert!(!crate::ed25519_verify(&pk, b"msh", &sig));
    assert!(!crate::ed25519_verify(&mock_pubkey("bob"), b"msg", &sig));
    set_ed25519_verifier(|_, _, _| true);
    assert!(crate::ed25519_verify(&pk, b"x", &[0; 64]));
}

#[test]
fn map_iteration_orders() {
    reset();
    static M: Map<u8, u8> = Map::new(b"m");
    static OTHER: Item<u8> = Item::new(b"n");
    let c = &mut ctx();
    for i in [3u8, 1, 2, 255] {
        M.set(c, &i, &7);
    }
    OTHER.set(c, &1);
    let keys: Vec<u8> = M.iter(c, false).map(|(k, _)| k).collect();
    assert_eq!(keys, vec![1, 2, 3, 255]);
    let keys: Vec<u8> = M.iter(c, true).map(|(k, _)| k).collect();
    assert_eq!(keys, vec![255, 3, 2, 1]);
    let keys: Vec<u8> = M.range(c, Some(&2), Some(&255), false).map(|(k, _)| k).collect();
    assert_eq!(keys, vec![2, 3]);
    M.remove(c, &3);
    assert_eq!(M.iter(c, false).count(), 3);
    assert_eq!(crate::storage::prefix_end(&[1, 0xff]), vec![2]);
    assert_eq!(crate::storage::prefix_end(&[0xff]), Vec::<u8>::new());
}

/// Inserts `keys` in a scrambled order and checks that the map iterates
/// them ascending (and descending in reverse).
fn assert_iterates_in_order<K: crate::Key + Ord + Clone + core::fmt::Debug>(map: &Map<K, u8>, mut keys: Vec<K>) {
    let c = &mut ctx();
    let n = keys.len();
    for i in 0..n {
        // every key once, descending from the middle, then wrapping around
        map.set(c, &keys[(2 * n - 1 - i + n / 2) % n], &(i as u8));
    }
    keys.sort();
    let got: Vec<K> = map.iter(c, false).map(|(k, _)| k).collect();
    assert_eq!(got, keys);
    let got: Vec<K> = map.iter(c, true).map(|(k, _)| k).collect();
    keys.reverse();
    assert_eq!(got, keys);
}

#[test]
fn map_keys_iterate_in_ascending_order() {
    reset();
    static U64: Map<u64, u8> = Map::new(b"u64:");
    static I64: Map<i64, u8> = Map::new(b"i64:");
    static U128: Map<u128, u8> = Map::new(b"u128:");
    static STR: Map<String, u8> = Map::new(b"str:");
    static PAIR: Map<(Address, u64), u8> = Map::new(b"pair:");
    static NAMED: Map<(String, i64), u8> = Map::new(b"named:");
    assert_iterates_in_order(&U64, vec![0, 1, 2, 255, 256, 1 << 32, (1 << 32) + 1, u64::MAX - 1, u64::MAX]);
    assert_iterates_in_order(&I64, vec![i64::MIN, i64::MIN + 1, -65_536, -256, -1, 0, 1, 255, 256, i64::MAX]);
    assert_iterates_in_order(&U128, vec![0, 1, 255, 1 << 64, (1 << 64) + 1, u128::MAX >> 1, u128::MAX]);
    let s = |x: &str| String::from(x);
    assert_iterates_in_order(&STR, vec![s(""), s("\0"), s("a"), s("a\0"), s("a\0b"), s("aa"), s("ab"), s("b"), s("ba"), s("é")]);
    let (a, b) = (Address::module(1), Address::module(2));
    assert_iterates_in_order(&PAIR, vec![(a, 0), (a, 9), (a, 256), (a, u64::MAX), (b, 0), (b, 1)]);
    assert_iterates_in_order(&NAMED, vec![(s("a"), -1), (s("a"), 0), (s("a"), 7), (s("a\0"), -9), (s("ab"), i64::MIN), (s("b"), 0)]);

    // a prefix of a tuple key: the first element, the rest in order
    let c = &mut ctx();
    let got: Vec<u64> = PAIR.iter_prefix(c, &a, false).map(|((_, n), _)| n).collect();
    assert_eq!(got, vec![0, 9, 256, u64::MAX]);
    let got: Vec<i64> = NAMED.iter_prefix(c, &s("a"), true).map(|((_, n), _)| n).collect();
    assert_eq!(got, vec![7, 0, -1], "\"a\" selects neither \"a\\0\" nor \"ab\"");
    // ranges are by key order
    let got: Vec<i64> = I64.range(c, Some(&-256), Some(&256), false).map(|(k, _)| k).collect();
    assert_eq!(got, vec![-256, -1, 0, 1, 255]);
}

#[test]
fn map_key_golden() {
    static U64: Map<u64, u8> = Map::new(b"u:");
    static I64: Map<i64, u8> = Map::new(b"i:");
    static STR: Map<String, u8> = Map::new(b"s:");
    static PAIR: Map<(Address, u64), u8> = Map::new(b"p:");
    assert_eq!(U64.key(&0x0102), b"u:\x00\x00\x00\x00\x00\x00\x01\x02".to_vec());
    assert_eq!(I64.key(&-2), b"i:\x7f\xff\xff\xff\xff\xff\xff\xfe".to_vec());
    assert_eq!(I64.key(&1), b"i:\x80\x00\x00\x00\x00\x00\x00\x01".to_vec());
    assert_eq!(STR.key(&String::from("a\0b")), b"s:a\x00\xffb\x00\x00".to_vec());
    let mut want = b"p:".to_vec();
    want.extend_from_slice(&[0; 19]);
    want.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0, 5]);
    assert_eq!(PAIR.key(&(Address::module(1), 5)), want);
}

#[test]
fn abi_json_helpers() {
    let abi = r#"{"name":"x","methods":[{"name":"put","args":"struct{key:string,value:u64}","result":"u64","readonly":false,"doc":"d\u00e9"}],"events":[{"name":"put","type":"struct{key:string,value:u64}"}]}"#;
    assert_abi_method(abi, "put", &PutArgs::abi_type(), "u64", false);
    assert_abi_event(abi, "put", &PutArgs::abi_type());
    assert_eq!(abi_method(abi, "put").unwrap().doc, "dé");
    assert!(parse_json("{\"a\":1,}").is_err());
    assert!(parse_json("[1,2] x").is_err());
}

use crate::AbiType;
