import type { ReactElement } from 'react'

/** Outline glyphs, 24×24, drawn with the text colour. Decoration only: always beside a name. */
const paths: Record<string, string> = {
  // A phone with a shield: the authenticator app.
  OTP: 'M8 2h8a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zM11 18h2M12 7l3 1.2v2.3c0 1.8-1.3 3.1-3 3.5-1.7-.4-3-1.7-3-3.5V8.2z',
  // A speech bubble.
  SMS: 'M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H9l-4 3v-3H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zM8 10h.01M12 10h.01M16 10h.01',
  // An envelope.
  EMAIL: 'M3 6h18v12H3zM3 7l9 6 9-6',
  // A face in a frame.
  FACE: 'M4 8V5a1 1 0 0 1 1-1h3M16 4h3a1 1 0 0 1 1 1v3M20 16v3a1 1 0 0 1-1 1h-3M8 20H5a1 1 0 0 1-1-1v-3M9 10h.01M15 10h.01M9.5 15a3.5 3.5 0 0 0 5 0',
  // A key.
  PASSKEY: 'M14 10a4 4 0 1 0-3.5 4L9 15.5V18H6.5v2.5H4V18l6-6M16 8h.01',
}

/** The glyph of a factor (`OTP`, `SMS`, `EMAIL`, `FACE`, `PASSKEY`), hidden from assistive technology. */
export function FactorIcon({ factor }: { factor: string }): ReactElement {
  return (
    <svg data-part="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={paths[factor] ?? paths.OTP} />
    </svg>
  )
}
