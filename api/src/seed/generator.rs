//! What the areas' benchmark seeds share: the scale, a deterministic random
//! stream per purpose, ids and times derived from it, and batched multi-row
//! inserts.
//!
//! The same version and scale give the same data, byte for byte, on any
//! machine and backend: the generator is a hand-rolled SplitMix64 (the
//! `rand` crate does not promise the same stream across its versions), every
//! id is a UUIDv7 built from the row's own creation time and random bits from
//! that generator, and every time is whole milliseconds after a fixed start.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Iterable};
use uuid::Uuid;

use crate::events::{Actor, DomainEvent};

/// Version of the benchmark data. Bump it whenever what `seed --bench` writes
/// changes, so that data of an older version is never taken for this one.
pub const BENCH_VERSION: u32 = 4;

/// Organizations at scale 1.
pub const ORGANIZATIONS_AT_SCALE_ONE: u64 = 20_000;

/// How much benchmark data: scale 1 is the reference data set (20,000
/// organizations); `--scale` multiplies the organizations (and what hangs on
/// them). Written with at most three decimals, from 0.01 (200 organizations,
/// for tests) to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BenchScale {
    thousandths: u32,
}

impl BenchScale {
    /// The reference scale.
    pub const ONE: Self = Self { thousandths: 1000 };
    const MIN: u32 = 10;
    const MAX: u32 = 100_000;

    /// The scale in thousandths (1 is 1000).
    pub fn thousandths(self) -> u32 {
        self.thousandths
    }

    /// `n` (a count at scale 1) at this scale, rounded.
    pub fn of(self, n: u64) -> u64 {
        (n * u64::from(self.thousandths) + 500) / 1000
    }
}

impl Default for BenchScale {
    fn default() -> Self {
        Self::ONE
    }
}

impl FromStr for BenchScale {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wrong = || format!("`{s}` is not a scale: a number from 0.01 to 100 with at most three decimals, e.g. 1, 2.5 or 0.05");
        let (whole, fraction) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
        let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || whole.len() > 3 || fraction.len() > 3 || !digits(whole) || !digits(fraction) {
            return Err(wrong());
        }
        let whole: u32 = whole.parse().map_err(|_| wrong())?;
        let fraction: u32 = if fraction.is_empty() { 0 } else { format!("{fraction:0<3}").parse().map_err(|_| wrong())? };
        let thousandths = whole * 1000 + fraction;
        if (Self::MIN..=Self::MAX).contains(&thousandths) { Ok(Self { thousandths }) } else { Err(wrong()) }
    }
}

impl fmt::Display for BenchScale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.thousandths / 1000, self.thousandths % 1000);
        if fraction == 0 {
            write!(f, "{whole}")
        } else {
            let fraction = format!("{fraction:03}");
            write!(f, "{whole}.{}", fraction.trim_end_matches('0'))
        }
    }
}

/// A deterministic stream of pseudo-random numbers (SplitMix64). Not for
/// secrets: for data that must come out the same every time.
#[derive(Clone, Debug)]
pub struct BenchRng(u64);

impl BenchRng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        // The high half of a 64x64 product: no modulo bias worth the name here.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An index into a collection of `len` items (0 when empty).
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        let span = high.saturating_sub(low).max(0).unsigned_abs() + 1;
        low.saturating_add_unsigned(self.below(span))
    }

    /// True `per_mille` times in a thousand.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// One item of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// An index chosen with these weights (the last index when all are 0).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut left = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if left < u64::from(*w) {
                return i;
            }
            left -= u64::from(*w);
        }
        weights.len().saturating_sub(1)
    }

    /// Shuffles in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }

    /// A UUIDv7 for a row created at `at`: its time is the row's, its random
    /// bits come from this stream.
    pub fn uuid_at(&mut self, at: DateTime<Utc>) -> Uuid {
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.next_u64().to_be_bytes());
        random[8..].copy_from_slice(&self.next_u64().to_be_bytes()[..2]);
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
    }
}

/// What every area's benchmark seed is given: the scale and the random
/// streams, one per purpose, so that an area's data does not change when
/// another area draws more or fewer numbers.
#[derive(Clone, Debug)]
pub struct BenchContext {
    /// The scale.
    pub scale: BenchScale,
    seed: u64,
}

impl BenchContext {
    /// The context of [`BENCH_VERSION`] at `scale`.
    pub fn new(scale: BenchScale) -> Self {
        let seed = BenchRng((u64::from(BENCH_VERSION) << 32) | u64::from(scale.thousandths())).next_u64();
        Self { scale, seed }
    }

    /// The stream for `purpose` (e.g. `"organizations"`), the same every run.
    pub fn rng(&self, purpose: &str) -> BenchRng {
        // FNV-1a of the purpose, mixed with the seed.
        let hash = purpose.bytes().fold(0xCBF2_9CE4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3));
        let mut mixer = BenchRng(self.seed ^ hash);
        BenchRng(mixer.next_u64())
    }

    /// When the benchmark network's history starts (partners existed
    /// before): 2024-01-01T00:00:00Z.
    pub fn start(&self) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or(DateTime::UNIX_EPOCH)
    }

    /// The time `millis` milliseconds after [`Self::start`] (before it when negative).
    pub fn at(&self, millis: i64) -> DateTime<Utc> {
        self.start() + Duration::milliseconds(millis)
    }
}

/// The row of `event` as `events::record` writes it, done by the system
/// (`seed`) at `at`.
pub fn event_row(rng: &mut BenchRng, at: DateTime<Utc>, event: &DomainEvent) -> event::ActiveModel {
    crate::events::outbox::row(rng.uuid_at(at), at, &Actor::system("seed"), event)
}

/// Most bind parameters in one statement: SQLite allows 32,766, PostgreSQL 65,535.
const MAX_PARAMETERS: usize = 30_000;

/// Inserts `rows` (all with the same columns set) with multi-row `INSERT`s of
/// up to 1,000 rows, in the caller's transaction.
pub async fn insert_batched<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
{
    let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter().count().max(1);
    let per_statement = (MAX_PARAMETERS / columns).clamp(1, 1000);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(per_statement).collect();
        A::Entity::insert_many(batch).exec_without_returning(db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_read_and_print_with_up_to_three_decimals() {
        for (text, thousandths, shown) in [("1", 1000, "1"), ("0.01", 10, "0.01"), ("2.5", 2500, "2.5"), ("100", 100_000, "100")] {
            let scale: BenchScale = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((scale.thousandths(), scale.to_string().as_str()), (thousandths, shown));
        }
        for wrong in ["0", "0.001", "100.5", "-1", "1e3", "", ".5", "1.2345", "abc", "1000"] {
            assert!(wrong.parse::<BenchScale>().is_err(), "{wrong} accepted");
        }
        assert_eq!(BenchScale::ONE.of(ORGANIZATIONS_AT_SCALE_ONE), 20_000);
        assert_eq!("0.01".parse::<BenchScale>().map(|s| s.of(ORGANIZATIONS_AT_SCALE_ONE)), Ok(200));
    }

    #[test]
    fn streams_are_fixed_by_version_scale_and_purpose() {
        let ctx = BenchContext::new(BenchScale::ONE);
        let mut a = ctx.rng("organizations");
        let mut b = BenchContext::new(BenchScale::ONE).rng("organizations");
        let drawn: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        assert_eq!(drawn, (0..4).map(|_| b.next_u64()).collect::<Vec<_>>());
        assert_ne!(drawn[0], ctx.rng("partners").next_u64());
        assert_ne!(drawn[0], BenchContext::new(BenchScale { thousandths: 2000 }).rng("organizations").next_u64());
        // SplitMix64's published first output for seed 0.
        assert_eq!(BenchRng(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn ids_are_version_7_and_ordered_by_their_time() {
        let ctx = BenchContext::new(BenchScale::ONE);
        let mut rng = ctx.rng("ids");
        let (early, late) = (rng.uuid_at(ctx.at(0)), rng.uuid_at(ctx.at(1)));
        assert_eq!((early.get_version_num(), late.get_version_num()), (7, 7));
        assert!(early < late);
        let weights = [0, 5, 0];
        assert!((0..100).all(|_| rng.weighted(&weights) == 1));
        assert!((0..100).all(|_| (3..=5).contains(&rng.between(3, 5))));
    }
}
