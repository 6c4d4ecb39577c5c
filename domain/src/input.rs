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
