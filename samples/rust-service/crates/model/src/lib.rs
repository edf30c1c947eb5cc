//! Appointment records shared by the service.

/// One booked appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub id: u64,
    pub office: String,
}

impl Appointment {
    /// The appointment number as printed on the confirmation.
    pub fn number(&self) -> String {
        let mut buf = itoa::Buffer::new();
        format!("{}-{}", self.office, buf.format(self.id))
    }
}
