//! Typed storage over the contract's key-value store.
//!
//! Values are stored in the canonical encoding. Reads take a [`View`]
//! (`&mut Ctx` coerces to it), writes a [`Ctx`], so a `#[view]` method
//! cannot write (see [`crate::ctx`]).
//!
//! Map keys use the order-preserving [key encoding](crate::key): integers
//! iterate in numeric order (i64 signed), strings and bytes by bytes,
//! tuples element by element. Pick keys and prefixes so that none is a
//! prefix of another (e.g. one distinct byte or word each plus a
//! separator), or a map's iteration sees the other's entries.

use crate::api::{abort, storage};
use crate::encoding::{decode_all, encode_to_vec, Decode, Encode};
use crate::key::{key_from_slice, Key};
use crate::{Ctx, View};
use alloc::vec::Vec;
use core::marker::PhantomData;

fn load<T: Decode>(raw: &[u8]) -> T {
    match decode_all::<T>(raw) {
        Ok(v) => v,
        Err(e) => abort(&alloc::format!("corrupt state: {}", e)),
    }
}

/// One value under a fixed key.
pub struct Item<T> {
    key: &'static [u8],
    _t: PhantomData<fn() -> T>,
}

impl<T: Encode + Decode> Item<T> {
    pub const fn new(key: &'static [u8]) -> Self {
        Item { key, _t: PhantomData }
    }
    pub fn key(&self) -> &'static [u8] {
        self.key
    }
    pub fn get(&self, v: &View) -> Option<T> {
        v.get(self.key).map(|raw| load(&raw))
    }
    /// The value, or aborts with "<what> not set".
    pub fn load(&self, v: &View, what: &str) -> T {
        match self.get(v) {
            Some(x) => x,
            None => abort(&alloc::format!("{} not set", what)),
        }
    }
    pub fn get_or(&self, v: &View, default: T) -> T {
        self.get(v).unwrap_or(default)
    }
    pub fn exists(&self, v: &View) -> bool {
        v.get(self.key).is_some()
    }
    pub fn set(&self, c: &mut Ctx, x: &T) {
        c.set(self.key, &encode_to_vec(x))
    }
    pub fn remove(&self, c: &mut Ctx) {
        c.remove(self.key)
    }
}

/// Values under `prefix ‖ key(k)`, `key` the order-preserving
/// [key encoding](crate::key).
pub struct Map<K, V> {
    prefix: &'static [u8],
    _t: PhantomData<fn() -> (K, V)>,
}

impl<K: Key, V: Encode + Decode> Map<K, V> {
    pub const fn new(prefix: &'static [u8]) -> Self {
        Map { prefix, _t: PhantomData }
    }
    /// The full storage key of `k`.
    pub fn key(&self, k: &K) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.prefix.len() + 32);
        out.extend_from_slice(self.prefix);
        k.encode_key(&mut out);
        out
    }
    pub fn get(&self, v: &View, k: &K) -> Option<V> {
        v.get(&self.key(k)).map(|raw| load(&raw))
    }
    pub fn get_or(&self, v: &View, k: &K, default: V) -> V {
        self.get(v, k).unwrap_or(default)
    }
    pub fn has(&self, v: &View, k: &K) -> bool {
        v.get(&self.key(k)).is_some()
    }
    pub fn set(&self, c: &mut Ctx, k: &K, x: &V) {
        c.set(&self.key(k), &encode_to_vec(x))
    }
    pub fn remove(&self, c: &mut Ctx, k: &K) {
        c.remove(&self.key(k))
    }
    /// Every entry in key order (descending if `reverse`).
    pub fn iter(&self, v: &View, reverse: bool) -> MapIter<K, V> {
        self.iter_raw_prefix(v, &[], reverse)
    }
    /// Entries whose encoded key starts with the bytes `sub`.
    pub fn iter_raw_prefix(&self, v: &View, sub: &[u8], reverse: bool) -> MapIter<K, V> {
        let mut p = self.prefix.to_vec();
        p.extend_from_slice(sub);
        MapIter { inner: v.iter_prefix(&p, reverse), skip: self.prefix.len(), _t: PhantomData }
    }
    /// Entries whose key starts with `sub`: for a tuple key `(A, B, …)`,
    /// `sub` of type `A` (or `(A, B)`, …) selects the entries with those
    /// first elements, in the order of the rest.
    pub fn iter_prefix<P: Key>(&self, v: &View, sub: &P, reverse: bool) -> MapIter<K, V> {
        self.iter_raw_prefix(v, &crate::key::key_to_vec(sub), reverse)
    }
    /// Entries with keys in [start, end) (None: unbounded).
    pub fn range(&self, v: &View, start: Option<&K>, end: Option<&K>, reverse: bool) -> MapIter<K, V> {
        let s = match start {
            Some(k) => self.key(k),
            None => self.prefix.to_vec(),
        };
        let e = match end {
            Some(k) => self.key(k),
            None => storage::prefix_end(self.prefix),
        };
        MapIter { inner: v.iter(&s, &e, reverse), skip: self.prefix.len(), _t: PhantomData }
    }
}

/// Iterator over a [`Map`]: yields decoded (key, value).
pub struct MapIter<K, V> {
    inner: storage::Iter,
    skip: usize,
    _t: PhantomData<fn() -> (K, V)>,
}

impl<K: Key, V: Decode> Iterator for MapIter<K, V> {
    type Item = (K, V);
    fn next(&mut self) -> Option<(K, V)> {
        let (k, v) = self.inner.next()?;
        if k.len() < self.skip {
            abort("corrupt state: short map key");
        }
        let key = match key_from_slice::<K>(&k[self.skip..]) {
            Ok(key) => key,
            Err(e) => abort(&alloc::format!("corrupt state: {}", e)),
        };
        Some((key, load(&v)))
    }
}
