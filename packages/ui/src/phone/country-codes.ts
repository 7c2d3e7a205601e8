/** A calling code for a country picker. */
export interface PhoneCountryCode {
  /** ISO 3166-1 region, named in the reader's language with `Intl.DisplayNames`. */
  region: string
  /** The calling code, as the client sends it: `'+86'`. */
  code: string
}

/**
 * Common calling codes for the phone picker, one region per code, in the order the picker shows
 * them. A number typed with `+` or `00` carries its own code, so any country still works.
 */
export const phoneCountryCodes: readonly PhoneCountryCode[] =
  'CN86 HK852 MO853 TW886 JP81 KR82 SG65 MY60 TH66 VN84 PH63 ID62 IN91 AU61 NZ64 US1 GB44 IE353 DE49 FR33 IT39 ES34 PT351 NL31 BE32 CH41 AT43 SE46 NO47 DK45 FI358 PL48 RU7 TR90 IL972 AE971 SA966 EG20 ZA27 NG234 BR55 MX52 AR54 CL56 CO57'
    .split(' ')
    .map((s) => ({ region: s.slice(0, 2), code: `+${s.slice(2)}` }))

/** "China (+86)" in the reader's language; the region code where the browser cannot name it. */
export function countryCodeLabel(entry: PhoneCountryCode, locale: string): string {
  let name = entry.region
  try {
    name = new Intl.DisplayNames([locale], { type: 'region' }).of(entry.region) ?? name
  } catch {}
  return `${name} (${entry.code})`
}
