//! payment_channel: a V SYSTEMS-style one-way payment channel over a native
//! coin. The creator deposits coins for a recipient and hands out signed
//! receipts off chain ("the recipient may take `amount` in total"); the
//! recipient collects the latest receipt before the channel expires, and after
//! expiry the creator gets the rest back. Payouts go through the native token
//! module's `send` (its address is the init argument).
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

use alloc::format;
use alloc::string::String;
use vsys_sdk::{fail, 
    block_time, caller, ed25519_verify, encode_to_vec, entry, events, funds, self_address, token, vsys_struct,
    Address, Bytes, Coin, Ctx, Event, Item, Map, Result, View,
};

vsys_sdk::abi!();

vsys_struct! {
    pub struct InitArgs { pub token_module: Address }
    pub struct CreateArgs { pub recipient: Address, pub expires_at: i64, pub creator_pubkey: Bytes }
    pub struct ChargeArgs { pub id: u64, pub expires_at: i64 }
    pub struct CollectArgs { pub id: u64, pub amount: u128, pub signature: Bytes }
    pub struct IdArgs { pub id: u64 }
    pub struct Channel {
        pub creator: Address,
        pub recipient: Address,
        pub token: String,
        pub deposit: u128,
        pub collected: u128,
        pub expires_at: i64,
        pub creator_pubkey: Bytes,
        pub closed: bool,
    }
    /// What the creator signs: its canonical encoding is the signed message.
    pub struct Receipt { pub channel: Address, pub id: u64, pub amount: u128 }
}

events! {
    pub struct CreatedEvent as "created" {
        pub id: u64,
        pub creator: Address,
        pub recipient: Address,
        pub token: String,
        pub amount: u128,
        pub expires_at: i64,
    }
    pub struct ChargedEvent as "charged" { pub id: u64, pub amount: u128, pub deposit: u128, pub expires_at: i64 }
    pub struct CollectedEvent as "collected" { pub id: u64, pub amount: u128, pub total: u128 }
    pub struct ExpiredEvent as "expired" { pub id: u64, pub refund: u128 }
}

static TOKEN_MODULE: Item<Address> = Item::new(b"token_module");
static NEXT_ID: Item<u64> = Item::new(b"next_id");
/// "c:" ‖ id (u64 big-endian: channels iterate in id order) → channel.
static CHANNELS: Map<u64, Channel> = Map::new(b"c:");

/// The bytes the creator signs for a receipt of `amount` on channel `id` of
/// the payment-channel contract at `channel`.
pub fn receipt_message(channel: Address, id: u64, amount: u128) -> alloc::vec::Vec<u8> {
    encode_to_vec(&Receipt { channel, id, amount })
}

fn one_coin() -> Result<Coin> {
    let mut coins = funds();
    match coins.len() {
        0 => Err("no funds attached".into()),
        1 if coins[0].amount > 0 => Ok(coins.remove(0)),
        1 => Err("no funds attached".into()),
        _ => Err("attach exactly one coin".into()),
    }
}

fn channel(v: &View, id: u64) -> Result<Channel> {
    Ok(CHANNELS.get(v, &id).ok_or_else(|| format!("no channel {}", id))?)
}

fn pay(ctx: &mut Ctx, token: &str, to: Address, amount: u128) -> Result<()> {
    let module = TOKEN_MODULE.load(ctx, "token module");
    token::Client::at(module).send(ctx, token, &to, amount).map_err(|e| e.context("payout failed"))
}

entry! {
    fn init(ctx: &mut Ctx, a: InitArgs) -> Result<()> {
        if TOKEN_MODULE.exists(ctx) {
            fail!("already initialised");
        }
        TOKEN_MODULE.set(ctx, &a.token_module);
        NEXT_ID.set(ctx, &1);
        Ok(())
    }

    /// Opens a channel funded with the one native coin attached; creator_pubkey (32-byte ed25519)
    /// signs receipts. Returns the channel id.
    fn create(ctx: &mut Ctx, a: CreateArgs) -> Result<u64> {
        let coin = one_coin()?;
        if a.creator_pubkey.len() != 32 {
            fail!("creator_pubkey must be 32 bytes");
        }
        if a.expires_at <= block_time() {
            fail!("expires_at must be in the future");
        }
        let id = NEXT_ID.get_or(ctx, 1);
        NEXT_ID.set(ctx, &id.checked_add(1).ok_or("too many channels")?);
        let creator = caller();
        CHANNELS.set(
            ctx,
            &id,
            &Channel {
                creator,
                recipient: a.recipient,
                token: coin.token.clone(),
                deposit: coin.amount,
                collected: 0,
                expires_at: a.expires_at,
                creator_pubkey: a.creator_pubkey,
                closed: false,
            },
        );
        CreatedEvent { id, creator, recipient: a.recipient, token: coin.token, amount: coin.amount, expires_at: a.expires_at }.emit(ctx);
        Ok(id)
    }

    /// Creator only: adds the attached coin (same token) to the deposit and moves expires_at
    /// (never earlier).
    fn charge(ctx: &mut Ctx, a: ChargeArgs) -> Result<()> {
        let coin = one_coin()?;
        let mut c = channel(ctx, a.id)?;
        if caller() != c.creator {
            fail!("only the creator can charge");
        }
        if c.closed {
            fail!("channel closed");
        }
        if coin.token != c.token {
            fail!("channel holds {}, not {}", c.token, coin.token);
        }
        if a.expires_at < c.expires_at {
            fail!("expires_at cannot move earlier");
        }
        c.deposit = c.deposit.checked_add(coin.amount).ok_or("deposit overflow")?;
        c.expires_at = a.expires_at;
        CHANNELS.set(ctx, &a.id, &c);
        ChargedEvent { id: a.id, amount: coin.amount, deposit: c.deposit, expires_at: c.expires_at }.emit(ctx);
        Ok(())
    }

    /// Recipient only, before expires_at: with the creator's ed25519 signature over the canonical
    /// bytes of struct{channel:address,id:u64,amount:u128} (channel = this contract), pays out
    /// amount minus what was already collected; returns the payout.
    fn collect(ctx: &mut Ctx, a: CollectArgs) -> Result<u128> {
        let mut c = channel(ctx, a.id)?;
        if caller() != c.recipient {
            fail!("only the recipient can collect");
        }
        if c.closed {
            fail!("channel closed");
        }
        if block_time() >= c.expires_at {
            fail!("channel expired");
        }
        if a.amount > c.deposit {
            fail!("receipt of {} exceeds the deposit of {}", a.amount, c.deposit);
        }
        if a.amount <= c.collected {
            fail!("nothing to collect: {} already collected", c.collected);
        }
        let mut pk = [0u8; 32];
        pk.copy_from_slice(&c.creator_pubkey);
        if a.signature.len() != 64 {
            fail!("signature must be 64 bytes");
        }
        let mut sig = [0u8; 64];
        sig.copy_from_slice(&a.signature);
        if !ed25519_verify(&pk, &receipt_message(self_address(), a.id, a.amount), &sig) {
            fail!("invalid signature");
        }
        let payout = a.amount - c.collected;
        c.collected = a.amount;
        CHANNELS.set(ctx, &a.id, &c);
        pay(ctx, &c.token, c.recipient, payout)?;
        CollectedEvent { id: a.id, amount: payout, total: c.collected }.emit(ctx);
        Ok(payout)
    }

    /// After expires_at (block time, Unix ns): refunds the uncollected deposit to the creator and
    /// closes the channel; returns the refund.
    fn expire(ctx: &mut Ctx, a: IdArgs) -> Result<u128> {
        let mut c = channel(ctx, a.id)?;
        if c.closed {
            fail!("channel closed");
        }
        let now = block_time();
        if now < c.expires_at {
            fail!("channel open until {} (now {})", c.expires_at, now);
        }
        let refund = c.deposit - c.collected;
        c.closed = true;
        CHANNELS.set(ctx, &a.id, &c);
        if refund > 0 {
            pay(ctx, &c.token, c.creator, refund)?;
        }
        ExpiredEvent { id: a.id, refund }.emit(ctx);
        Ok(refund)
    }

    /// The channel, if it exists.
    #[view]
    fn info(v: &View, a: IdArgs) -> Result<Option<Channel>> {
        Ok(CHANNELS.get(v, &a.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vsys_sdk::testing::{self, addr, coin};
    use vsys_sdk::AbiType;

    const VSYS: &str = "VSYS";

    struct Env {
        creator: Address,
        recipient: Address,
        pk: [u8; 32],
    }

    fn setup() -> Env {
        testing::reset();
        let module = Address::module(1);
        testing::install_token_module(module);
        testing::exec::<_, ()>(init, &InitArgs { token_module: module }).unwrap();
        let env = Env { creator: addr("creator"), recipient: addr("recipient"), pk: testing::mock_pubkey("creator") };
        testing::set_balance(env.creator, VSYS, 1_000);
        testing::set_block(1, 100);
        env
    }

    fn open(env: &Env, amount: u128, expires_at: i64) -> u64 {
        testing::set_caller(env.creator);
        let args = CreateArgs { recipient: env.recipient, expires_at, creator_pubkey: Bytes(env.pk.to_vec()) };
        testing::exec_with_funds(create, &args, &[coin(VSYS, amount)]).unwrap()
    }

    fn receipt(env: &Env, id: u64, amount: u128) -> CollectArgs {
        let msg = receipt_message(testing::contract(), id, amount);
        CollectArgs { id, amount, signature: Bytes(testing::mock_sign(&env.pk, &msg).to_vec()) }
    }

    fn chan(id: u64) -> Channel {
        testing::query::<_, Option<Channel>>(info, &IdArgs { id }).unwrap().unwrap()
    }

    #[test]
    fn abi_matches_types() {
        testing::assert_abi_method(ABI_JSON, "create", &CreateArgs::abi_type(), "u64", false);
        testing::assert_abi_method(ABI_JSON, "charge", &ChargeArgs::abi_type(), "struct{}", false);
        testing::assert_abi_method(ABI_JSON, "collect", &CollectArgs::abi_type(), "u128", false);
        testing::assert_abi_method(ABI_JSON, "expire", &IdArgs::abi_type(), "u128", false);
        testing::assert_abi_method(ABI_JSON, "info", &IdArgs::abi_type(), &Option::<Channel>::abi_type(), true);
        testing::assert_abi_event(ABI_JSON, "created", &CreatedEvent::abi_type());
        testing::assert_abi_event(ABI_JSON, "charged", &ChargedEvent::abi_type());
        testing::assert_abi_event(ABI_JSON, "collected", &CollectedEvent::abi_type());
        testing::assert_abi_event(ABI_JSON, "expired", &ExpiredEvent::abi_type());
        assert_eq!(testing::abi_entry_type(ABI_JSON, "init"), Some(InitArgs::abi_type()));
    }

    #[test]
    fn receipt_encoding() {
        let m = receipt_message(Address([1; 20]), 2, 3);
        let mut want = std::vec![1u8; 20];
        want.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0]);
        want.extend_from_slice(&[3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(m, want);
    }

    #[test]
    fn collect_deltas_then_expire() {
        let env = setup();
        let id = open(&env, 500, 1_000);
        assert_eq!(id, 1);
        assert_eq!(open(&env, 1, 1_000), 2);
        assert_eq!(testing::balance(env.creator, VSYS), 499);

        testing::set_caller(env.recipient);
        assert_eq!(testing::exec(collect, &receipt(&env, id, 100)), Ok(100u128));
        assert_eq!(testing::exec(collect, &receipt(&env, id, 250)), Ok(150u128));
        assert_eq!(testing::balance(env.recipient, VSYS), 250);
        // an old receipt is worthless
        assert_eq!(
            testing::exec::<_, u128>(collect, &receipt(&env, id, 200)),
            Err("nothing to collect: 250 already collected".into())
        );
        // early expire fails
        assert_eq!(testing::exec::<_, u128>(expire, &IdArgs { id }), Err("channel open until 1000 (now 100)".into()));
        testing::set_block_time(1_000);
        assert_eq!(testing::exec::<_, u128>(collect, &receipt(&env, id, 300)), Err("channel expired".into()));
        assert_eq!(testing::exec(expire, &IdArgs { id }), Ok(250u128));
        assert_eq!(testing::balance(env.creator, VSYS), 499 + 250);
        assert!(chan(id).closed);
        assert_eq!(testing::exec::<_, u128>(expire, &IdArgs { id }), Err("channel closed".into()));
        let ev = testing::events();
        assert_eq!(ev.last().unwrap().decode::<ExpiredEvent>(), ExpiredEvent { id, refund: 250 });
    }

    #[test]
    fn signature_and_permission_checks() {
        let env = setup();
        let id = open(&env, 500, 1_000);
        testing::set_caller(env.recipient);
        // signed for another channel id, another contract or another amount
        let mut r = receipt(&env, id + 1, 100);
        r.id = id;
        assert_eq!(testing::exec::<_, u128>(collect, &r), Err("invalid signature".into()));
        let msg = receipt_message(addr("other-contract"), id, 100);
        let r = CollectArgs { id, amount: 100, signature: Bytes(testing::mock_sign(&env.pk, &msg).to_vec()) };
        assert_eq!(testing::exec::<_, u128>(collect, &r), Err("invalid signature".into()));
        let mut r = receipt(&env, id, 100);
        r.amount = 101;
        assert_eq!(testing::exec::<_, u128>(collect, &r), Err("invalid signature".into()));
        assert_eq!(
            testing::exec::<_, u128>(collect, &receipt(&env, id, 501)),
            Err("receipt of 501 exceeds the deposit of 500".into())
        );
        testing::set_caller(addr("mallory"));
        assert_eq!(testing::exec::<_, u128>(collect, &receipt(&env, id, 100)), Err("only the recipient can collect".into()));
        assert_eq!(chan(id).collected, 0);
    }

    #[test]
    fn charge_extends() {
        let env = setup();
        let id = open(&env, 100, 1_000);
        testing::exec_with_funds::<_, ()>(charge, &ChargeArgs { id, expires_at: 2_000 }, &[coin(VSYS, 50)]).unwrap();
        let c = chan(id);
        assert_eq!((c.deposit, c.expires_at), (150, 2_000));
        assert_eq!(
            testing::exec_with_funds::<_, ()>(charge, &ChargeArgs { id, expires_at: 1_500 }, &[coin(VSYS, 1)]),
            Err("expires_at cannot move earlier".into())
        );
        testing::set_caller(env.recipient);
        testing::set_balance(env.recipient, VSYS, 1);
        assert_eq!(
            testing::exec_with_funds::<_, ()>(charge, &ChargeArgs { id, expires_at: 3_000 }, &[coin(VSYS, 1)]),
            Err("only the creator can charge".into())
        );
        assert_eq!(testing::balance(env.recipient, VSYS), 1);
    }

    #[test]
    fn create_validation() {
        let env = setup();
        testing::set_caller(env.creator);
        let args = CreateArgs { recipient: env.recipient, expires_at: 1_000, creator_pubkey: Bytes(std::vec![0; 31]) };
        assert_eq!(testing::exec_with_funds::<_, u64>(create, &args, &[coin(VSYS, 1)]), Err("creator_pubkey must be 32 bytes".into()));
        let args = CreateArgs { recipient: env.recipient, expires_at: 100, creator_pubkey: Bytes(env.pk.to_vec()) };
        assert_eq!(testing::exec_with_funds::<_, u64>(create, &args, &[coin(VSYS, 1)]), Err("expires_at must be in the future".into()));
        assert_eq!(testing::exec::<_, u64>(create, &args), Err("no funds attached".into()));
        assert_eq!(testing::balance(env.creator, VSYS), 1_000);
    }
}
