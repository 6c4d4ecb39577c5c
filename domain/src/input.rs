//! Reading raw input leniently: an optional field sent as `null` means the
//! same as the field left out (clients echo back `"phone": null` as the
//! server returned it).

use serde::{Deserialize, Deserializer};

/// `null` or absent → the type's default; anything else as usual.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// A record's `revision`: `null` or absent → 1, as for a new record.
pub fn null_as_first_revision<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    Option::<u32>::deserialize(deserializer).map(|revision| revision.unwrap_or_else(crate::visit::first_revision))
}

/// A household's `consent`: `null` or absent → agreed, as clients written
/// before consent was recorded always collected with agreement.
pub fn null_as_agreed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Option::<bool>::deserialize(deserializer).map(|consent| consent.unwrap_or(true))
}

/// A day asked about in a query (`?from=2026-03-01`), refused outside
/// [`crate::time::REPORTABLE_YEARS`]; absent → none.
pub fn optional_reportable_day<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<chrono::NaiveDate>, D::Error> {
    let day = Option::<chrono::NaiveDate>::deserialize(deserializer)?;
    match day {
        Some(day) if !crate::time::is_reportable(day) => {
            let (first, last) = (crate::time::REPORTABLE_YEARS.start(), crate::time::REPORTABLE_YEARS.end());
            Err(serde::de::Error::custom(format!("ngày {day} phải trong các năm {first}–{last}")))
        }
        day => Ok(day),
    }
}

/// A value read only from a JSON object. serde also reads a struct from an
/// array of its fields in order (`[1, 2]` as the first two counts); the API
/// documents objects, so anything else is refused.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for ObjectVisitor<T> {
            type Value = T;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a JSON object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }

        deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData)).map(Object)
    }
}

/// An object; `null` or absent → the type's default.
pub fn object_or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<Object<T>>::deserialize(deserializer).map(|object| object.map(|Object(value)| value).unwrap_or_default())
}

/// An object, or `null` / absent for none.
pub fn optional_object<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<Object<T>>::deserialize(deserializer).map(|object| object.map(|Object(value)| value))
}

/// A list of objects; `null` or absent → empty.
pub fn objects<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let objects = Option::<Vec<Object<T>>>::deserialize(deserializer)?;
    Ok(objects.unwrap_or_default().into_iter().map(|Object(value)| value).collect())
}

/// A field a flat wire form (`…Wire`, read with `#[serde(try_from)]`) must
/// carry for the variant its tag names; serde's own words when it is absent.
pub(crate) fn required<T>(name: &str, value: Option<T>) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{name}`"))
}

#[cfg(test)]
mod tests {
    use crate::visit::VisitInput;

    #[test]
    fn nested_records_are_read_only_from_objects() {
        let listed = serde_json::from_str::<VisitInput>(r#"{"people": [1, 2]}"#);
        assert!(listed.is_err(), "people as a list is refused");
        let skill_as_list = serde_json::from_str::<VisitInput>(r#"{"skills": [["vneid.level2", true]]}"#);
        assert!(skill_as_list.is_err());
        let follow_up_as_list = serde_json::from_str::<VisitInput>(r#"{"follow_up": ["2026-03-09", "x"]}"#);
        assert!(follow_up_as_list.is_err());
        let fine = serde_json::from_str::<VisitInput>(
            r#"{"people": {"adults": 2}, "skills": [{"code": "payment.qr"}], "follow_up": null}"#,
        )
        .unwrap();
        assert_eq!(fine.people.adults, 2);
        assert_eq!(fine.skills.len(), 1);
        assert!(fine.follow_up.is_none());
        let nothing = serde_json::from_str::<VisitInput>(r#"{"people": null, "skills": null}"#).unwrap();
        assert_eq!(nothing.people, Default::default());
    }
}
