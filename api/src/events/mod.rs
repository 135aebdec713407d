//! Events: typed domain events recorded in the `events` table (the outbox) in
//! the transaction of the change they describe, and a publish/subscribe bus on
//! which they are published after that transaction commits, so an event raised
//! on one instance reaches subscribers on every instance (Redis pub/sub), or
//! within one process (a broadcast channel) when Redis is not configured.

pub mod actor;
pub mod bus;
pub mod domain;
pub mod hub;
pub mod outbox;

pub use actor::Actor;
pub use bus::{EventBus, InProcessBus, RedisBus};
pub use domain::{DomainEvent, DonationChange, MembershipChange, TrainingRegistrationChange, ValidationChange};
pub use hub::{Hub, HubEvent};
pub use outbox::{TOPIC, Written, published, record};
