//! Custom scalars: `CountryCode`, `CurrencyCode`, `Money`, `Date` and `Upload`.
//! (`DateTime` is async-graphql's chrono scalar: RFC 3339, always UTC here.)
//!
//! Input scalars check the format; whether a code is assigned is checked where it
//! is used, so a mutation can answer an unknown code as a `userError`.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

use crate::domain::{self, Money};

/// ISO 3166-1 alpha-2 country code, upper case (e.g. `KE`). Input is case-insensitive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountryCode(pub String);

/// ISO 3166-1 alpha-2 country code, upper case (e.g. `KE`). Input is case-insensitive.
#[Scalar(name = "CountryCode", specified_by_url = "https://www.iso.org/iso-3166-country-codes.html")]
impl ScalarType for CountryCode {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => domain::country::normalize_format(s).map(Self).map_err(|e| InputValueError::custom(e.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

impl From<domain::CountryCode> for CountryCode {
    fn from(c: domain::CountryCode) -> Self {
        Self(c.as_str().to_owned())
    }
}

/// ISO 4217 currency code, upper case (e.g. `KES`). Input is case-insensitive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrencyCode(pub String);

/// ISO 4217 currency code, upper case (e.g. `KES`). Input is case-insensitive.
#[Scalar(name = "CurrencyCode", specified_by_url = "https://www.iso.org/iso-4217-currency-codes.html")]
impl ScalarType for CurrencyCode {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => domain::money::normalize_format(s).map(Self).map_err(|e| InputValueError::custom(e.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// An amount of money: `{"amount": <integer minor units>, "currency": "<ISO 4217>"}`,
/// e.g. `{"amount": 125000, "currency": "KES"}` is KES 1,250.00. Amounts are integers
/// (never floats) of at most 2^53 - 1 so every JSON client reads them exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoneyValue {
    /// Minor units.
    pub amount: i64,
    /// ISO 4217 code, format-checked.
    pub currency: String,
}

/// An amount of money: `{"amount": <integer minor units>, "currency": "<ISO 4217>"}`,
/// e.g. `{"amount": 125000, "currency": "KES"}` is KES 1,250.00. Amounts are integers
/// (never floats) of at most 2^53 - 1, so every JSON client reads them exactly.
#[Scalar(name = "Money")]
impl ScalarType for MoneyValue {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::Object(obj) = &value else {
            return Err(InputValueError::custom(
                "expected an object {\"amount\": <integer minor units>, \"currency\": \"<ISO 4217 code>\"}",
            ));
        };
        if let Some(extra) = obj.keys().find(|k| k.as_str() != "amount" && k.as_str() != "currency") {
            return Err(InputValueError::custom(format!("unknown Money field `{extra}`")));
        }
        let amount = match obj.get("amount") {
            Some(Value::Number(n)) => {
                n.as_i64().ok_or_else(|| InputValueError::custom("`amount` is an integer number of minor units, not a decimal"))?
            }
            _ => return Err(InputValueError::custom("`amount` (integer minor units) is required")),
        };
        if amount.abs() > Money::MAX_AMOUNT {
            return Err(InputValueError::custom("`amount` is out of range"));
        }
        let currency = match obj.get("currency") {
            Some(Value::String(s)) => domain::money::normalize_format(s).map_err(|e| InputValueError::custom(e.to_string()))?,
            _ => return Err(InputValueError::custom("`currency` (ISO 4217 code) is required")),
        };
        Ok(Self { amount, currency })
    }

    fn to_value(&self) -> Value {
        let mut obj = async_graphql::indexmap::IndexMap::new();
        obj.insert(async_graphql::Name::new("amount"), Value::from(self.amount));
        obj.insert(async_graphql::Name::new("currency"), Value::String(self.currency.clone()));
        Value::Object(obj)
    }
}

/// A calendar date, ISO 8601 (`YYYY-MM-DD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date, ISO 8601 (`YYYY-MM-DD`).
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Self).map_err(|_| InputValueError::custom("expected a date YYYY-MM-DD"))
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// What async-graphql writes in place of a variable a multipart request maps
/// a file to, followed by the file's index.
const UPLOAD_MARKER: &str = "#__graphql_file__:";

/// A file sent as a part of a `multipart/form-data` request (the GraphQL
/// multipart request specification): the operation's variable is `null` and
/// the request's `map` part points it at the file's part.
///
/// async-graphql's own `Upload` panics on a marker it did not write (a client
/// can type `"#__graphql_file__:x"` as a value) and indexes its files without
/// a bound check: this one refuses both with a clear error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Upload(usize);

/// A file sent as a part of a `multipart/form-data` request (the GraphQL
/// multipart request specification).
#[Scalar(name = "Upload", specified_by_url = "https://github.com/jaydenseric/graphql-multipart-request-spec")]
impl ScalarType for Upload {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => s.strip_prefix(UPLOAD_MARKER).and_then(|i| i.parse::<usize>().ok()).map(Self).ok_or_else(not_a_file),
            _ => Err(not_a_file()),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(_))
    }

    fn to_value(&self) -> Value {
        Value::Null
    }
}

fn not_a_file<T: async_graphql::InputType>() -> InputValueError<T> {
    InputValueError::custom(
        "expected a file: send the request as multipart/form-data (the GraphQL multipart request specification) and map a file part to this variable",
    )
}

/// A received file: the name its sender gave and its bytes.
#[derive(Clone, Debug)]
pub struct ReceivedFile {
    /// The file name from the part's `Content-Disposition` (untrusted).
    pub file_name: String,
    /// The content type the sender claimed (untrusted: check the bytes).
    pub claimed_type: Option<String>,
    /// The bytes.
    pub bytes: bytes::Bytes,
}

impl Upload {
    /// The file this value stands for in the current request.
    pub fn file(&self, ctx: &async_graphql::Context<'_>) -> Result<ReceivedFile, crate::error::ApiError> {
        let upload = ctx.query_env.uploads.get(self.0).ok_or_else(|| {
            crate::error::ApiError::BadUserInput("the file is missing from the request: send it as a part of a multipart/form-data request and map that part to this variable".to_owned())
        })?;
        Ok(ReceivedFile { file_name: upload.filename.clone(), claimed_type: upload.content_type.clone(), bytes: upload.content.clone() })
    }
}

#[cfg(test)]
mod upload_tests {
    use super::*;

    #[test]
    fn upload_markers_parse_without_panicking_on_anything_a_client_types() {
        assert_eq!(<Upload as ScalarType>::parse(Value::String("#__graphql_file__:2".into())).ok(), Some(Upload(2)));
        for bad in
            ["#__graphql_file__:x", "#__graphql_file__:", "#__graphql_file__:-1", "#__graphql_file__:99999999999999999999999", "file"]
        {
            assert!(<Upload as ScalarType>::parse(Value::String(bad.into())).is_err(), "{bad}");
        }
        assert!(<Upload as ScalarType>::parse(Value::Null).is_err());
    }
}
