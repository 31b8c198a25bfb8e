// The user pool attributes Cognito defines: every pool has them, and the ID token carries them.

/** Standard attributes every user pool has, whether or not a (trimmed) SchemaAttributes lists them. */
export const STANDARD_ATTRIBUTES: ReadonlySet<string> = new Set([
  'sub',
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'email',
  'email_verified',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'address',
  'updated_at',
  'identities',
]);
