//! vsys-interchain: contracts over interchain (docs/interchain.md,
//! "Contracts over interchain"). Send a packet to a contract on another chain through the
//! native interchain module (`Address::module(6)`), and take part in the
//! packet's life through three ordinary methods the contract declares in
//! its `entry!`:
//!
//! * `on_recv(c, args: RecvArgs) -> Result<Bytes>`: a payload addressed to
//!   this contract's port arrived; the result is its acknowledgement. An
//!   error (or running out of the callback gas limit) discards what
//!   `on_recv` wrote and acknowledges with the error acknowledgement.
//! * `on_ack(c, args: AckArgs) -> Result<()>`: a payload this contract
//!   sent was received (`success`) or failed there (`!success`).
//! * `on_timeout(c, args: TimeoutArgs) -> Result<()>`: a payload this
//!   contract sent timed out, and was never received.
//!
//! The module calls them as the caller [`MODULE`]; check it with
//! [`from_module`] before trusting the arguments. A contract's port is its
//! bech32 address: [`send_packet`] sends from it, and a payload to a
//! contract names the contract's address on the other chain as the
//! destination port.
//!
//! ```ignore
//! use vsys_interchain as interchain;
//! let seq = interchain::send_packet(c, "07-tendermint-0", &remote.to_bech32(),
//!     interchain::Message { version: "xcounter-1", value: &msg }, interchain::timeout_after(600))?;
//! ```

#![no_std]
extern crate alloc;

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use vsys_sdk::{block_time, caller, self_address, vsys_struct, Address, Bytes, Ctx, Result};

/// The interchain module's address (native module 6),
/// `vsys1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqxxwvuak`.
pub const MODULE: Address = Address::module(6);

/// The encoding of a payload whose value is the chain's canonical binary
/// encoding of a [`vsys_struct!`] value.
pub const ENCODING_VSYS: &str = "application/x-vsys";

vsys_struct! {
    /// One application's part of a packet (the module's `Payload`).
    pub struct Payload {
        pub source_port: String,
        pub dest_port: String,
        pub version: String,
        pub encoding: String,
        pub value: Bytes,
    }
    /// `send_packet`'s arguments: timeout in Unix seconds of the
    /// destination's block time, at most 24 h ahead.
    pub struct SendPacketArgs {
        pub source_client: String,
        pub timeout_timestamp: u64,
        pub payloads: Vec<Payload>,
    }
    /// `on_recv`'s arguments: the packet and the payload sent to this
    /// contract; `source_port` is the sender's address on its chain.
    pub struct RecvArgs {
        pub source_client: String,
        pub dest_client: String,
        pub sequence: u64,
        pub source_port: String,
        pub version: String,
        pub encoding: String,
        pub value: Bytes,
    }
    /// A payload this contract sent, in the packet that carried it: what
    /// `on_ack` and `on_timeout` are about (`on_timeout`'s arguments).
    pub struct SentPayload {
        pub source_client: String,
        pub dest_client: String,
        pub sequence: u64,
        pub dest_port: String,
        pub version: String,
        pub encoding: String,
        pub value: Bytes,
    }
    /// `on_ack`'s arguments: the payload this contract sent, and the
    /// receiver's acknowledgement (the error acknowledgement when
    /// `success` is false).
    pub struct AckArgs {
        pub sent: SentPayload,
        pub success: bool,
        pub acknowledgement: Bytes,
    }
}

/// `on_timeout`'s arguments: the payload this contract sent, never
/// received.
pub type TimeoutArgs = SentPayload;

/// What a contract sends: its application version and the value, encoded
/// canonically ([`ENCODING_VSYS`]).
pub struct Message<'a, T: vsys_sdk::Encode> {
    pub version: &'a str,
    pub value: &'a T,
}

/// Sends `msg` from this contract to the contract whose port (address on
/// the other chain) is `dest_port`, through `client`, this chain's client
/// of the other chain; returns the packet's sequence. The module binds the
/// source port to this contract's address.
pub fn send_packet<T: vsys_sdk::Encode>(c: &mut Ctx, client: &str, dest_port: &str, msg: Message<'_, T>, timeout: u64) -> Result<u64> {
    let payload = Payload {
        source_port: port(&self_address()),
        dest_port: String::from(dest_port),
        version: String::from(msg.version),
        encoding: String::from(ENCODING_VSYS),
        value: Bytes(vsys_sdk::encode_to_vec(msg.value)),
    };
    send_payloads(c, client, vec![payload], timeout)
}

/// Sends payloads as they are (each `source_port` must be this contract's
/// [`port`]); returns the packet's sequence.
pub fn send_payloads(c: &mut Ctx, client: &str, payloads: Vec<Payload>, timeout: u64) -> Result<u64> {
    let args = SendPacketArgs { source_client: String::from(client), timeout_timestamp: timeout, payloads };
    c.call_with(&MODULE, "send_packet", &args, &[])
}

/// A timeout `secs` seconds after this block's time, in the Unix seconds
/// packets count in (block time is in nanoseconds).
pub fn timeout_after(secs: u64) -> u64 {
    ((block_time() as u64) / 1_000_000_000).saturating_add(secs)
}

/// The port of a contract: its bech32 address.
pub fn port(a: &Address) -> String {
    a.to_bech32()
}

/// Whether this call comes from the interchain module: an entry point
/// `on_recv`, `on_ack` or `on_timeout` should refuse any other caller.
pub fn from_module() -> bool {
    caller() == MODULE
}
