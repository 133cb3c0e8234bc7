//! Typed storage over the contract's key-value store.
//!
//! Values are stored in the canonical encoding. Pick keys and prefixes so that
//! none is a prefix of another (e.g. one distinct byte or word each plus a
//! separator), or a map's iteration sees the other's entries.
//! Note that map keys are ordered by their encoding: little-endian integers do
//! not iterate in numeric order, strings iterate by length first.

use crate::api::{abort, storage};
use crate::encoding::{decode_all, encode_to_vec, Decode, Encode, Writer};
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
    pub fn get(&self) -> Option<T> {
        storage::get(self.key).map(|raw| load(&raw))
    }
    /// The value, or aborts with "<what> not set".
    pub fn load(&self, what: &str) -> T {
        match self.get() {
            Some(v) => v,
            None => abort(&alloc::format!("{} not set", what)),
        }
    }
    pub fn get_or(&self, default: T) -> T {
        self.get().unwrap_or(default)
    }
    pub fn exists(&self) -> bool {
        storage::get(self.key).is_some()
    }
    pub fn set(&self, v: &T) {
        storage::set(self.key, &encode_to_vec(v))
    }
    pub fn remove(&self) {
        storage::remove(self.key)
    }
}

/// Values under `prefix ‖ encode(key)`.
pub struct Map<K, V> {
    prefix: &'static [u8],
    _t: PhantomData<fn() -> (K, V)>,
}

impl<K: Encode + Decode, V: Encode + Decode> Map<K, V> {
    pub const fn new(prefix: &'static [u8]) -> Self {
        Map { prefix, _t: PhantomData }
    }
    /// The full storage key of `k`.
    pub fn key(&self, k: &K) -> Vec<u8> {
        let mut w = Writer::with_capacity(self.prefix.len() + 32);
        w.raw(self.prefix);
        k.encode(&mut w);
        w.into_vec()
    }
    pub fn get(&self, k: &K) -> Option<V> {
        storage::get(&self.key(k)).map(|raw| load(&raw))
    }
    pub fn get_or(&self, k: &K, default: V) -> V {
        self.get(k).unwrap_or(default)
    }
    pub fn has(&self, k: &K) -> bool {
        storage::get(&self.key(k)).is_some()
    }
    pub fn set(&self, k: &K, v: &V) {
        storage::set(&self.key(k), &encode_to_vec(v))
    }
    pub fn remove(&self, k: &K) {
        storage::remove(&self.key(k))
    }
    /// Every entry, in key-encoding order (descending if `reverse`).
    pub fn iter(&self, reverse: bool) -> MapIter<K, V> {
        self.iter_raw_prefix(&[], reverse)
    }
    /// Entries whose encoded key starts with `sub` (e.g. the encoding of the
    /// first fields of a struct key).
    pub fn iter_raw_prefix(&self, sub: &[u8], reverse: bool) -> MapIter<K, V> {
        let mut p = self.prefix.to_vec();
        p.extend_from_slice(sub);
        MapIter { inner: storage::iter_prefix(&p, reverse), skip: self.prefix.len(), _t: PhantomData }
    }
    /// Entries whose key encoding starts with the encoding of `sub`.
    pub fn iter_prefix<P: Encode + ?Sized>(&self, sub: &P, reverse: bool) -> MapIter<K, V> {
        self.iter_raw_prefix(&encode_to_vec(sub), reverse)
    }
    /// Entries with keys in [start, end) by their encodings (None: unbounded).
    pub fn range(&self, start: Option<&K>, end: Option<&K>, reverse: bool) -> MapIter<K, V> {
        let s = match start {
            Some(k) => self.key(k),
            None => self.prefix.to_vec(),
        };
        let e = match end {
            Some(k) => self.key(k),
            None => storage::prefix_end(self.prefix),
        };
        MapIter { inner: storage::iter(&s, &e, reverse), skip: self.prefix.len(), _t: PhantomData }
    }
}

/// Iterator over a [`Map`]: yields decoded (key, value).
pub struct MapIter<K, V> {
    inner: storage::Iter,
    skip: usize,
    _t: PhantomData<fn() -> (K, V)>,
}

impl<K: Decode, V: Decode> Iterator for MapIter<K, V> {
    type Item = (K, V);
    fn next(&mut self) -> Option<(K, V)> {
        let (k, v) = self.inner.next()?;
        if k.len() < self.skip {
            abort("corrupt state: short map key");
        }
        Some((load(&k[self.skip..]), load(&v)))
    }
}
