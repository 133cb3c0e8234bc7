//! xcounter: a cross-chain counter, the example of contracts over
//! interchain (docs/interchain.md). `increment` on chain A sends a packet
//! to the xcounter at `remote` on chain B; B's `on_recv` adds to its count
//! and acknowledges with the new value; A's `on_ack` records that value,
//! or the failure, and `on_timeout` records a packet that timed out. The
//! same code runs on both chains.
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

use alloc::string::String;
use vsys_interchain::{self as interchain, AckArgs, Message, RecvArgs, TimeoutArgs};
use vsys_sdk::{decode_all, encode_to_vec, ensure, entry, events, fail, vsys_struct, Bytes, Ctx, Event, Item, Map, Result, View};

vsys_sdk::abi!();

/// The application version of xcounter's packets.
pub const VERSION: &str = "xcounter-1";

/// What became of a sent increment.
pub const PENDING: u8 = 0;
pub const ACKED: u8 = 1;
pub const FAILED: u8 = 2;
pub const TIMED_OUT: u8 = 3;

vsys_struct! {
    pub struct IncrementArgs {
        /// This chain's client of the other chain.
        pub client: String,
        /// The other xcounter's address there (its port).
        pub remote: String,
        pub by: u64,
        /// Seconds from this block's time to the packet's timeout.
        pub timeout_secs: u64,
    }
    /// The packet's value.
    pub struct Msg { pub by: u64 }
    /// The acknowledgement: the receiving counter's new value.
    pub struct Reply { pub value: u64 }
    /// A sent increment and what became of it.
    pub struct Sent { pub remote: String, pub by: u64, pub status: u8, pub remote_value: u64, pub error: String }
    pub struct SentArgs { pub client: String, pub sequence: u64 }
    /// The counters of both roles.
    pub struct Stats {
        /// This counter's value (increments received).
        pub count: u64,
        /// Packets on_recv took, including those that failed afterwards (which revert, so not counted).
        pub received: u64,
        pub sent: u64,
        pub acked: u64,
        pub failed: u64,
        pub timed_out: u64,
        /// The remote value of the latest successful acknowledgement.
        pub last_remote_value: u64,
    }
}

events! {
    pub struct Received as "received" { pub source_client: String, pub sequence: u64, pub value: u64 }
    pub struct Settled as "settled" { pub client: String, pub sequence: u64, pub status: u8, pub remote_value: u64 }
}

static STATS: Item<Stats> = Item::new(b"stats");
static SENT: Map<(String, u64), Sent> = Map::new(b"s:");

fn stats(v: &View) -> Stats {
    STATS.get_or(v, Stats::default())
}

/// Records what became of sent increment (client, sequence).
fn settle(c: &mut Ctx, client: &str, sequence: u64, status: u8, remote_value: u64, error: &str) -> Result<()> {
    let key = (String::from(client), sequence);
    let mut s = match SENT.get(c, &key) {
        Some(s) => s,
        None => fail!("no increment {} sent through {}", sequence, client),
    };
    ensure!(s.status == PENDING, "increment {} already settled", sequence);
    s.status = status;
    s.remote_value = remote_value;
    s.error = String::from(error);
    SENT.set(c, &key, &s);
    let mut st = stats(c);
    match status {
        ACKED => {
            st.acked += 1;
            st.last_remote_value = remote_value;
        }
        FAILED => st.failed += 1,
        _ => st.timed_out += 1,
    }
    STATS.set(c, &st);
    Settled { client: String::from(client), sequence, status, remote_value }.emit(c);
    Ok(())
}

entry! {
    /// Sends an increment by `by` to the xcounter at `remote` on the chain behind `client`;
    /// returns the packet's sequence.
    fn increment(c: &mut Ctx, a: IncrementArgs) -> Result<u64> {
        ensure!(a.by > 0, "increment by zero");
        let timeout = interchain::timeout_after(a.timeout_secs);
        let seq = interchain::send_packet(c, &a.client, &a.remote, Message { version: VERSION, value: &Msg { by: a.by } }, timeout)
            .map_err(|e| e.context("send_packet"))?;
        SENT.set(c, &(a.client, seq), &Sent { remote: a.remote, by: a.by, status: PENDING, remote_value: 0, error: String::new() });
        let mut st = stats(c);
        st.sent += 1;
        STATS.set(c, &st);
        Ok(seq)
    }

    /// Interchain: an increment from another xcounter. Acknowledges with the new value.
    fn on_recv(c: &mut Ctx, a: RecvArgs) -> Result<Bytes> {
        ensure!(interchain::from_module(), "on_recv is for the interchain module");
        ensure!(a.version == VERSION, "version {}, want {}", a.version, VERSION);
        let msg: Msg = decode_all(&a.value)?;
        // Counted first: if the add below fails, the module discards this write too.
        let mut st = stats(c);
        st.received += 1;
        st.count = st.count.checked_add(msg.by).ok_or("counter overflow")?;
        STATS.set(c, &st);
        Received { source_client: a.source_client, sequence: a.sequence, value: st.count }.emit(c);
        Ok(Bytes(encode_to_vec(&Reply { value: st.count })))
    }

    /// Interchain: the other xcounter's acknowledgement of an increment this one sent.
    fn on_ack(c: &mut Ctx, a: AckArgs) -> Result<()> {
        ensure!(interchain::from_module(), "on_ack is for the interchain module");
        if !a.success {
            return settle(c, &a.sent.source_client, a.sent.sequence, FAILED, 0, "the receive failed");
        }
        let reply: Reply = decode_all(&a.acknowledgement)?;
        settle(c, &a.sent.source_client, a.sent.sequence, ACKED, reply.value, "")
    }

    /// Interchain: an increment this one sent timed out.
    fn on_timeout(c: &mut Ctx, a: TimeoutArgs) -> Result<()> {
        ensure!(interchain::from_module(), "on_timeout is for the interchain module");
        settle(c, &a.source_client, a.sequence, TIMED_OUT, 0, "timed out")
    }

    /// The counters.
    #[view]
    fn get(v: &View) -> Result<Stats> {
        Ok(stats(v))
    }

    /// A sent increment (client, sequence).
    #[view]
    fn sent(v: &View, a: SentArgs) -> Result<Sent> {
        match SENT.get(v, &(a.client.clone(), a.sequence)) {
            Some(s) => Ok(s),
            None => fail!("no increment {} sent through {}", a.sequence, a.client),
        }
    }
}

#[cfg(test)]
mod tests;
