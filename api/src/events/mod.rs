//! Events: a publish/subscribe bus so an event raised on one instance reaches
//! subscribers on every instance (Redis pub/sub), or within one process
//! (a broadcast channel) when Redis is not configured.

pub mod bus;

pub use bus::{EventBus, InProcessBus, RedisBus};
