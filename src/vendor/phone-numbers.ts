// The parts of `libphonenumber-js` (with its full metadata) tagaudit uses. The build replaces this module's output
// with a one-file bundle of them (scripts/bundle-vendor.mjs): Node then loads one module instead of about 90.
export { parsePhoneNumberFromString } from 'libphonenumber-js/max';
export type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
