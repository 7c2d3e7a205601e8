import type { UseTotpVerifyResult } from '@mfa-kit/hooks'

/** The kit's stable error codes, as every hook reports them in `error.code`. */
export type MfaErrorCode = NonNullable<UseTotpVerifyResult['error']>['code']

/** The languages built in. `en-US` ships in the main bundle; the others load when first used. */
export type MfaLocale = 'en-US' | 'zh-CN' | 'zh-TW' | 'ja-JP'

/**
 * Every string the components show or announce, by section. `{name}` marks a value filled in at
 * run time. A locale that misses a key, or an error code without a message, does not compile.
 */
export interface MfaMessages {
  common: {
    /** Shown while something loads. */
    loading: string
    /** While the server refuses attempts. `{duration}`: the time left, such as "45 seconds". */
    retryIn: string
    /** Announced when the wait is over. */
    retryReady: string
    /** Announced when a copy to the clipboard failed. */
    copyFailed: string
    /** The label of a submit button while its request runs. */
    verifying: string
    /** Heading when the sign-in (the mfaToken) has expired. */
    expiredTitle: string
    expiredBody: string
    /** Heading when the sign-in used up its attempts (the text is `errors.too_many_attempts`). */
    attemptsUsedTitle: string
    /** The button that starts a new sign-in. */
    restart: string
  }
  oneTimeCode: {
    /** The label of a one-time-code input without a label of its own. */
    label: string
  }
  recoveryCode: {
    /** The label of the recovery code shown. */
    label: string
    copy: string
    /** Announced after copying. */
    copied: string
    download: string
    /** The name of the downloaded file. */
    fileName: string
    /** The first line of the downloaded file. */
    fileTitle: string
    /** The explanation under the code in the downloaded file. */
    fileNote: string
    print: string
    /** The required "I have saved it" checkbox. */
    acknowledge: string
    /** The button that ends the step once acknowledged. */
    finish: string
  }
  totpEnrollment: {
    title: string
    intro: string
    /** The accessible name of the QR code. */
    qrLabel: string
    /** Introduces the setup key, for those who cannot scan. */
    secretLabel: string
    copySecret: string
    /** Announced after copying the setup key. */
    secretCopied: string
    /** A link that opens the otpauth URI in an authenticator app on the same device. */
    openInApp: string
    codeLabel: string
    submit: string
    /** Starts the binding when it does not start by itself. */
    start: string
    /** Asks for a setup key again after a failure. */
    retry: string
    recoveryTitle: string
    recoveryIntro: string
    doneTitle: string
    doneIntro: string
  }
  totpChallenge: {
    title: string
    intro: string
    codeLabel: string
    submit: string
    /** The link to the recovery-code challenge. */
    useRecoveryCode: string
    verifiedTitle: string
  }
  recoveryCodeChallenge: {
    title: string
    intro: string
    codeLabel: string
    submit: string
    /** The link back to the authenticator-code challenge. */
    back: string
    newCodeTitle: string
    newCodeIntro: string
    doneTitle: string
  }
  /** The text shown and announced for each error code. */
  errors: Record<MfaErrorCode, string>
}

/** Replacements for any strings, by section; what is left out keeps the locale's text. */
export type MfaMessagesOverride = { [S in keyof MfaMessages]?: Partial<MfaMessages[S]> }
