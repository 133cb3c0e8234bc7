use super::*;
use alloc::vec::Vec;
use std::cell::RefCell;
use std::rc::Rc;
use vsys_interchain::{SendPacketArgs, SentPayload, MODULE};
use vsys_sdk::testing::{self, addr};
use vsys_sdk::AbiType;

const CLIENT: &str = "07-tendermint-0";

/// Installs a mock interchain module that records send_packet's arguments
/// and numbers packets from 1.
fn mock_module() -> Rc<RefCell<Vec<(Address, SendPacketArgs)>>> {
    let sent = Rc::new(RefCell::new(Vec::new()));
    let log = sent.clone();
    testing::register_native(MODULE, move |call| {
        assert_eq!(call.method, "send_packet");
        let a: SendPacketArgs = decode_all(call.args).map_err(|e| std::format!("{}", e))?;
        log.borrow_mut().push((call.caller, a));
        Ok(encode_to_vec(&(log.borrow().len() as u64)))
    });
    sent
}

use vsys_sdk::Address;

fn increment_args(by: u64) -> IncrementArgs {
    IncrementArgs { client: CLIENT.into(), remote: addr("remote").to_bech32(), by, timeout_secs: 600 }
}

fn recv_args(by: u64) -> RecvArgs {
    RecvArgs {
        source_client: "07-tendermint-1".into(),
        dest_client: CLIENT.into(),
        sequence: 9,
        source_port: addr("remote").to_bech32(),
        version: VERSION.into(),
        encoding: interchain::ENCODING_VSYS.into(),
        value: Bytes(encode_to_vec(&Msg { by })),
    }
}

fn sent_payload(sequence: u64) -> SentPayload {
    SentPayload {
        source_client: CLIENT.into(),
        dest_client: "07-tendermint-1".into(),
        sequence,
        dest_port: addr("remote").to_bech32(),
        version: VERSION.into(),
        encoding: interchain::ENCODING_VSYS.into(),
        value: Bytes(encode_to_vec(&Msg { by: 2 })),
    }
}

fn ack_args(sequence: u64, success: bool, ack: &[u8]) -> AckArgs {
    AckArgs { sent: sent_payload(sequence), success, acknowledgement: Bytes(ack.to_vec()) }
}

fn timeout_args(sequence: u64) -> TimeoutArgs {
    sent_payload(sequence)
}

fn get_stats() -> Stats {
    testing::query(get, &()).unwrap()
}

#[test]
fn abi_matches_types() {
    testing::assert_abi_method(ABI_JSON, "increment", &IncrementArgs::abi_type(), "u64", false);
    testing::assert_abi_method(ABI_JSON, "on_recv", &RecvArgs::abi_type(), "bytes", false);
    testing::assert_abi_method(ABI_JSON, "on_ack", &AckArgs::abi_type(), "struct{}", false);
    testing::assert_abi_method(ABI_JSON, "on_timeout", &TimeoutArgs::abi_type(), "struct{}", false);
    testing::assert_abi_method(ABI_JSON, "get", "struct{}", &Stats::abi_type(), true);
    testing::assert_abi_method(ABI_JSON, "sent", &SentArgs::abi_type(), &Sent::abi_type(), true);
    // the argument types are the interchain module's (modules/interchain/contracts.go)
    assert_eq!(
        RecvArgs::abi_type(),
        "struct{source_client:string,dest_client:string,sequence:u64,source_port:string,version:string,encoding:string,value:bytes}"
    );
}

#[test]
fn increment_sends_from_its_own_port() {
    testing::reset();
    testing::set_block(5, 1_000_000_000_000);
    let sent = mock_module();
    assert_eq!(testing::exec(increment, &increment_args(2)), Ok(1u64));
    let (caller, a) = sent.borrow()[0].clone();
    assert_eq!(caller, testing::contract());
    assert_eq!(a.source_client, CLIENT);
    assert_eq!(a.timeout_timestamp, 1_600);
    assert_eq!(a.payloads.len(), 1);
    let p = &a.payloads[0];
    assert_eq!(p.source_port, testing::contract().to_bech32());
    assert_eq!(p.dest_port, addr("remote").to_bech32());
    assert_eq!((p.version.as_str(), p.encoding.as_str()), (VERSION, interchain::ENCODING_VSYS));
    assert_eq!(decode_all::<Msg>(&p.value), Ok(Msg { by: 2 }));
    let s: Sent = testing::query(super::sent, &SentArgs { client: CLIENT.into(), sequence: 1 }).unwrap();
    assert_eq!(s.status, PENDING);
    assert_eq!(get_stats().sent, 1);
    assert!(testing::exec::<_, u64>(increment, &increment_args(0)).unwrap_err().contains("by zero"));
}

#[test]
fn on_recv_counts_and_acks_the_new_value() {
    testing::reset();
    testing::set_caller(MODULE);
    let ack: Bytes = testing::exec(on_recv, &recv_args(3)).unwrap();
    assert_eq!(decode_all::<Reply>(&ack), Ok(Reply { value: 3 }));
    let ack: Bytes = testing::exec(on_recv, &recv_args(4)).unwrap();
    assert_eq!(decode_all::<Reply>(&ack), Ok(Reply { value: 7 }));
    let st = get_stats();
    assert_eq!((st.count, st.received), (7, 2));
    assert_eq!(testing::events().last().unwrap().decode::<Received>().value, 7);
}

#[test]
fn on_recv_refuses_other_callers_bad_versions_and_overflow() {
    testing::reset();
    testing::set_caller(addr("mallory"));
    assert!(testing::exec::<_, Bytes>(on_recv, &recv_args(1)).unwrap_err().contains("interchain module"));
    testing::set_caller(MODULE);
    let mut bad = recv_args(1);
    bad.version = "other-1".into();
    assert!(testing::exec::<_, Bytes>(on_recv, &bad).unwrap_err().contains("version"));
    testing::exec::<_, Bytes>(on_recv, &recv_args(1)).unwrap();
    assert_eq!(testing::exec::<_, Bytes>(on_recv, &recv_args(u64::MAX)), Err("counter overflow".into()));
    let st = get_stats();
    assert_eq!((st.count, st.received), (1, 1), "the failed receive wrote nothing");
}

#[test]
fn acks_failures_and_timeouts_settle_once() {
    testing::reset();
    testing::set_block(5, 1_000_000_000_000);
    mock_module();
    for _ in 0..3 {
        testing::exec::<_, u64>(increment, &increment_args(2)).unwrap();
    }
    testing::set_caller(addr("mallory"));
    assert!(testing::exec::<_, ()>(on_ack, &ack_args(1, true, &encode_to_vec(&Reply { value: 2 }))).is_err());
    testing::set_caller(MODULE);
    testing::exec::<_, ()>(on_ack, &ack_args(1, true, &encode_to_vec(&Reply { value: 2 }))).unwrap();
    testing::exec::<_, ()>(on_ack, &ack_args(2, false, b"error")).unwrap();
    testing::exec::<_, ()>(on_timeout, &timeout_args(3)).unwrap();
    let status = |seq| testing::query::<_, Sent>(super::sent, &SentArgs { client: CLIENT.into(), sequence: seq }).unwrap();
    assert_eq!((status(1).status, status(1).remote_value), (ACKED, 2));
    assert_eq!(status(2).status, FAILED);
    assert_eq!(status(3).status, TIMED_OUT);
    let st = get_stats();
    assert_eq!((st.sent, st.acked, st.failed, st.timed_out, st.last_remote_value), (3, 1, 1, 1, 2));
    assert!(testing::exec::<_, ()>(on_timeout, &timeout_args(1)).unwrap_err().contains("already settled"));
    assert!(testing::exec::<_, ()>(on_ack, &ack_args(4, false, b"x")).unwrap_err().contains("no increment 4"));
}
