//! Events and errors in words, read through the runtime's metadata, never from an index alone
//! or from `Debug` text: `Meters.ZoneCreated { zone: 2, name: "East", operator: bob }`.
//!
//! Fields print by their type in the metadata: an account as the caller names it (SS58, or a
//! development key's name), bytes that are text as text (other bytes as hex), a module error
//! as `Pallet.Error`, a struct with its type's name, an enum by its variant.

use crate::{
	api::{AccountId, DispatchError},
	node::Event,
};
use scale_info::{form::PortableForm, Type, TypeDef, TypeDefPrimitive};
use subxt::{
	ext::scale_value::{Composite, Primitive, Value, ValueDef},
	Metadata,
};

/// Module error `error` of the pallet with index `pallet`, as `Pallet.Error` and its
/// documentation, from `metadata`.
pub fn module_error(metadata: &Metadata, pallet: u8, error: u8) -> Option<(String, String)> {
	let pallet = metadata.pallet_by_index(pallet)?;
	let variant = pallet.error_variant_by_index(error)?;
	Some((format!("{}.{}", pallet.name(), variant.name), variant.docs.join(" ")))
}

/// A dispatch error's name: `Pallet.Error` for a module error (from `metadata`), else its
/// variant (`BadOrigin`).
pub fn error_name(metadata: &Metadata, error: &DispatchError) -> String {
	let module = match error {
		DispatchError::Module(m) => module_error(metadata, m.index, m.error[0]),
		_ => None,
	};
	module.map_or_else(|| format!("{error:?}"), |(name, _)| name)
}

/// `event` in words: `Pallet.Event { field: value, ... }`, accounts shown by `account`.
pub fn describe(
	metadata: &Metadata,
	event: &Event,
	account: &dyn Fn(&AccountId) -> String,
) -> String {
	let name = format!("{}.{}", event.pallet_name(), event.variant_name());
	let text = Text { metadata, account };
	match event.field_values() {
		Ok(Composite::Named(fields)) if !fields.is_empty() => {
			format!("{name} {}", text.named(&fields))
		}
		Ok(Composite::Unnamed(fields)) if !fields.is_empty() => {
			format!("{name}{}", text.unnamed(&fields))
		}
		Ok(_) => name,
		Err(e) => format!("{name} (undecodable: {e})"),
	}
}

/// Prints values with their types' help.
struct Text<'a> {
	metadata: &'a Metadata,
	account: &'a dyn Fn(&AccountId) -> String,
}

impl Text<'_> {
	fn ty(&self, id: u32) -> Option<&Type<PortableForm>> {
		self.metadata.types().resolve(id)
	}

	fn named(&self, fields: &[(String, Value<u32>)]) -> String {
		let fields: Vec<String> =
			fields.iter().map(|(name, v)| format!("{name}: {}", self.value(v))).collect();
		format!("{{ {} }}", fields.join(", "))
	}

	fn unnamed(&self, fields: &[Value<u32>]) -> String {
		let fields: Vec<String> = fields.iter().map(|v| self.value(v)).collect();
		format!("({})", fields.join(", "))
	}

	fn value(&self, value: &Value<u32>) -> String {
		let ty = self.ty(value.context);
		let ident = ty.and_then(|t| t.path.ident());
		if ident.as_deref() == Some("AccountId32") {
			if let Some(id) = bytes(value).and_then(|b| <[u8; 32]>::try_from(b).ok()) {
				return (self.account)(&AccountId(id));
			}
		}
		if ty.is_some_and(|t| self.is_bytes(t)) {
			if let Some(bytes) = bytes(value) {
				return show_bytes(&bytes);
			}
		}
		match &value.value {
			ValueDef::Primitive(p) => primitive(p),
			ValueDef::Composite(Composite::Unnamed(fields)) if fields.len() == 1 => {
				// A newtype (a bounded vector, a wrapper) prints as what it wraps.
				self.value(&fields[0])
			}
			ValueDef::Composite(Composite::Named(fields)) => {
				format!(
					"{}{}",
					ident.map(|i| format!("{i} ")).unwrap_or_default(),
					self.named(fields)
				)
			}
			ValueDef::Composite(Composite::Unnamed(fields)) => self.unnamed(fields),
			ValueDef::Variant(variant) => {
				if ident.as_deref() == Some("DispatchError") && variant.name == "Module" {
					if let Some(error) = self.module_error(&variant.values) {
						return error;
					}
				}
				match &variant.values {
					Composite::Named(f) if !f.is_empty() => {
						format!("{} {}", variant.name, self.named(f))
					}
					Composite::Unnamed(f) if !f.is_empty() => {
						format!("{}{}", variant.name, self.unnamed(f))
					}
					_ => variant.name.clone(),
				}
			}
			ValueDef::BitSequence(bits) => format!("{bits:?}"),
		}
	}

	/// Whether `ty` is a sequence or an array of bytes.
	fn is_bytes(&self, ty: &Type<PortableForm>) -> bool {
		let element = match &ty.type_def {
			TypeDef::Sequence(s) => s.type_param.id,
			TypeDef::Array(a) => a.type_param.id,
			_ => return false,
		};
		self.ty(element)
			.is_some_and(|t| matches!(t.type_def, TypeDef::Primitive(TypeDefPrimitive::U8)))
	}

	/// `ModuleError { index, error }` as `Pallet.Error`.
	fn module_error(&self, fields: &Composite<u32>) -> Option<String> {
		let values: Vec<&Value<u32>> = fields.values().collect();
		let [module] = values.as_slice() else { return None };
		let ValueDef::Composite(module) = &module.value else { return None };
		let mut parts = module.values();
		let index = u8::try_from(parts.next()?.as_u128()?).ok()?;
		let error = *bytes(parts.next()?)?.first()?;
		module_error(self.metadata, index, error).map(|(name, _)| name)
	}
}

/// The bytes of a value made only of bytes (a byte sequence, array, or a wrapper of one).
fn bytes(value: &Value<u32>) -> Option<Vec<u8>> {
	match &value.value {
		ValueDef::Composite(Composite::Unnamed(fields)) if fields.len() == 1 => {
			bytes(&fields[0]).or_else(|| Some(vec![u8::try_from(fields[0].as_u128()?).ok()?]))
		}
		ValueDef::Composite(composite) => {
			composite.values().map(|v| v.as_u128().and_then(|b| u8::try_from(b).ok())).collect()
		}
		_ => None,
	}
}

/// Bytes as text if they are printable text (quoted), else as `0x` hex.
fn show_bytes(bytes: &[u8]) -> String {
	match printable(bytes) {
		Some(text) => format!("{text:?}"),
		None => hex(bytes),
	}
}

/// Bytes as they are if they are printable text (a zone's name, a meter's identifier).
pub fn printable(bytes: &[u8]) -> Option<&str> {
	std::str::from_utf8(bytes).ok().filter(|t| !t.is_empty() && !t.chars().any(char::is_control))
}

/// Bytes as `0x`-prefixed hex.
pub fn hex(bytes: &[u8]) -> String {
	format!("0x{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn primitive(p: &Primitive) -> String {
	match p {
		Primitive::Bool(b) => b.to_string(),
		Primitive::Char(c) => format!("{c:?}"),
		Primitive::String(s) => format!("{s:?}"),
		Primitive::U128(n) => n.to_string(),
		Primitive::I128(n) => n.to_string(),
		Primitive::U256(b) | Primitive::I256(b) => show_bytes(b),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::api::{Config, METADATA};
	use codec::{Compact, Decode, Encode};
	use subxt::events::Events;

	/// The event `pallet.name` with the encoded `fields`, as a block would hold it.
	fn event(metadata: &Metadata, pallet: &str, name: &str, fields: impl Encode) -> Event {
		let pallet = metadata.pallet_by_name(pallet).expect("a pallet of the runtime");
		let variants = pallet.event_variants().expect("the pallet has events");
		let variant = variants.iter().find(|v| v.name == name).expect("an event of the pallet");
		let mut bytes = Compact(1u32).encode();
		(0u8, 0u32).encode_to(&mut bytes); // Phase::ApplyExtrinsic(0)
		[pallet.index(), variant.index].encode_to(&mut bytes);
		fields.encode_to(&mut bytes);
		Compact(0u32).encode_to(&mut bytes); // no topics
		let events = Events::<Config>::decode_from(bytes, metadata.clone());
		let mut events = events.iter();
		events.next().expect("one event").expect("it decodes")
	}

	#[test]
	fn events_read_as_names_accounts_text_and_errors() {
		let metadata = Metadata::decode(&mut &METADATA[..]).expect("the metadata file decodes");
		let bob = AccountId([2; 32]);
		let name = |who: &AccountId| if *who == bob { "bob".into() } else { who.to_string() };
		let created = event(&metadata, "Meters", "ZoneCreated", (2u32, b"East".to_vec(), bob.0));
		assert_eq!(
			describe(&metadata, &created, &name),
			"Meters.ZoneCreated { zone: 2, name: \"East\", operator: bob }"
		);
		let stranger = AccountId([7; 32]);
		let moved = event(&metadata, "Credits", "Transferred", (stranger.0, stranger.0, 5u64));
		assert_eq!(
			describe(&metadata, &moved, &name),
			format!("Credits.Transferred {{ from: {stranger}, to: {stranger}, amount: 5 }}")
		);
		// `Err(DispatchError::Module(ModuleError { index, error: [0, 0, 0, 0] }))`.
		let meters = metadata.pallet_by_name("Meters").expect("the meters pallet");
		let first = &meters.error_variants().expect("errors")[0].name;
		let failed = (1u8, 3u8, meters.index(), [0u8; 4]);
		let sudid = event(&metadata, "Sudo", "Sudid", failed);
		assert_eq!(
			describe(&metadata, &sudid, &name),
			format!("Sudo.Sudid {{ sudo_result: Err(Meters.{first}) }}")
		);
		assert_eq!(
			module_error(&metadata, meters.index(), 0).map(|e| e.0),
			Some(format!("Meters.{first}"))
		);
		assert_eq!(module_error(&metadata, meters.index(), 250), None);
	}

	#[test]
	fn bytes_are_text_when_they_are_text() {
		assert_eq!(show_bytes(b"East"), "\"East\"");
		assert_eq!(show_bytes(b"NBH 7"), "\"NBH 7\"");
		assert_eq!(show_bytes(&[0, 1, 0xff]), "0x0001ff");
		assert_eq!(show_bytes(b""), "0x");
		assert_eq!(show_bytes(b"a\nb"), "0x610a62");
	}
}
