//! Prints a confirmation for one appointment as JSON.

fn main() {
    let a = model::Appointment {
        id: 42,
        office: "buergeramt-mitte".to_owned(),
    };
    let out = serde_json::json!({ "number": a.number(), "pid": std::process::id() });
    println!("{out}");
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_prefixed_with_the_office() {
        let id = fastrand::u64(..1000);
        let a = model::Appointment { id, office: "x".into() };
        assert_eq!(a.number(), format!("x-{id}"));
    }
}
