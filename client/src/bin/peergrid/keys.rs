//! Keys and accounts: who signs, and how accounts are named on the command line.
//!
//! A signer is `dev:NAME` (the well-known development keys Alice to Ferdie, for dev and test
//! chains only) or `file:PATH`, a key file that holds a secret phrase or secret URI and that
//! only its owner can read (like an ssh key). Secrets never appear on the command line.

use peergrid_client::api::AccountId;
use sp_core::{crypto::Zeroize, sr25519, Pair};
use sp_keyring::Sr25519Keyring;
use std::{
	io::Write,
	os::unix::fs::{OpenOptionsExt, PermissionsExt},
	path::Path,
};

/// The development keys, by their lower-case names.
fn dev_key(name: &str) -> Option<Sr25519Keyring> {
	Sr25519Keyring::iter().find(|k| format!("{k:?}").eq_ignore_ascii_case(name))
}

/// The signing key named by `spec` (`dev:alice`, `file:/path/to/key`).
pub fn signer(spec: &str) -> Result<sr25519::Pair, String> {
	if let Some(name) = spec.strip_prefix("dev:") {
		return dev_key(name)
			.map(|k| k.pair())
			.ok_or_else(|| format!("no development key named {name:?} (alice ... ferdie)"));
	}
	let Some(path) = spec.strip_prefix("file:") else {
		return Err(format!("a signer is dev:NAME or file:PATH, not {spec:?}"));
	};
	let metadata = std::fs::metadata(path).map_err(|e| format!("key file {path}: {e}"))?;
	if metadata.permissions().mode() & 0o077 != 0 {
		return Err(format!(
			"key file {path} can be read by others: `chmod 600 {path}`, and consider the key exposed"
		));
	}
	let mut secret = std::fs::read_to_string(path).map_err(|e| format!("key file {path}: {e}"))?;
	let pair = sr25519::Pair::from_string(secret.trim(), None)
		.map_err(|e| format!("key file {path} holds no valid secret phrase or URI: {e:?}"));
	secret.zeroize();
	pair
}

/// The account of a key.
pub fn account_of(pair: &sr25519::Pair) -> AccountId {
	AccountId(pair.public().0)
}

/// An account named on the command line: an SS58 address, or a development key's name.
pub fn account(name: &str) -> Result<AccountId, String> {
	if let Some(key) = dev_key(name.strip_prefix("dev:").unwrap_or(name)) {
		return Ok(account_of(&key.pair()));
	}
	name.parse::<AccountId>()
		.map_err(|e| format!("{name:?} is neither an SS58 address nor a development key: {e}"))
}

/// How an account is shown: a development key's name if it is one, else its SS58 address.
pub fn show(who: &AccountId) -> String {
	Sr25519Keyring::iter()
		.find(|k| k.public().0 == who.0)
		.map_or_else(|| who.to_string(), |k| format!("{k:?}").to_lowercase())
}

/// Makes a new key: writes its secret phrase to `path` (readable by its owner only, never
/// overwriting a file) and returns its account.
pub fn new_key_file(path: &Path) -> Result<AccountId, String> {
	let (pair, mut phrase, _) = sr25519::Pair::generate_with_phrase(None);
	let mut file = std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.map_err(|e| format!("key file {}: {e}", path.display()))?;
	let written =
		writeln!(file, "{phrase}").map_err(|e| format!("key file {}: {e}", path.display()));
	phrase.zeroize();
	written?;
	Ok(account_of(&pair))
}
