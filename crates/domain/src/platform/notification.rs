//! How a notification travels to its recipient, as the outbox stores it.

crate::coded_enum! {
    /// The channel of a notification.
    pub enum NotificationChannel: "notification channel" {
        Email = "email",
        /// A text message; the recipient is a phone number.
        Sms = "sms",
    }
}
