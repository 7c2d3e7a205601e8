import type { UseTotpVerifyResult } from '@mfa-kit/hooks'
import type { MfaFlowMessages } from './flow-messages'

/** The kit's stable error codes, as every hook reports them in `error.code`. */
export type MfaErrorCode = NonNullable<UseTotpVerifyResult['error']>['code']

/** The languages built in. `en-US` ships in the main bundle; the others load when first used. */
export type MfaLocale = 'en-US' | 'zh-CN' | 'zh-TW' | 'ja-JP'

/**
 * Every string the components show or announce, by section. `{name}` marks a value filled in at
 * run time. A locale that misses a key, or an error code without a message, does not compile.
 */
export interface MfaMessages extends MfaFlowMessages {
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
  /** The camera, the photo and what to do when the camera does not work (`FaceCapture`). */
  faceCapture: {
    /** The accessible name of the live camera preview. */
    previewLabel: string
    /** The accessible name of the photo just taken. */
    stillLabel: string
    /** Turns the camera on. */
    start: string
    /** Asks for the camera again after it failed. */
    retry: string
    /** Starts the countdown to the photo. */
    shutter: string
    /** Stops the countdown. */
    cancel: string
    /** Drops the photo just taken. */
    retake: string
    /** Uses the photo just taken. */
    confirm: string
    /** Picks a photo file instead of the camera. */
    upload: string
    /** Before the camera is on. */
    intro: string
    /** While the browser asks for the camera. */
    starting: string
    /** While the camera is on. */
    live: string
    /** Announced when the countdown starts. `{seconds}`: its length. */
    countdown: string
    /** Once the photo is taken. */
    review: string
    /** While the pre-check looks for a face. */
    checking: string
    /** The pre-check found no face. */
    noFace: string
    /** The pre-check found more than one face. */
    manyFaces: string
    /** The camera was refused. */
    deniedTitle: string
    /** There is no camera this page can use. */
    unavailableTitle: string
    /** The camera did not start. */
    errorTitle: string
    /** Where to allow the camera in Chrome, Edge, Opera and Samsung Internet on a computer. */
    blockedChromium: string
    /** Where to allow the camera in Firefox. */
    blockedFirefox: string
    /** Where to allow the camera in Safari on a Mac. */
    blockedSafari: string
    /** Where to allow the camera on an iPhone or iPad. */
    blockedIos: string
    /** Where to allow the camera on Android. */
    blockedAndroid: string
    /** macOS keeps the camera from the browser. */
    systemMacos: string
    /** Windows keeps the camera from the browser. */
    systemWindows: string
    /** Another system keeps the camera from the browser. */
    systemOther: string
    /** No camera is connected. */
    noCamera: string
    /** Another app holds the camera. */
    inUse: string
    /** The camera stopped while on. */
    interrupted: string
    /** The page is not https. */
    insecure: string
    /** The browser has no camera API. */
    notSupported: string
    /** The page may not use the camera (a frame). */
    policy: string
    /** Any other camera failure. */
    unknownProblem: string
    /** Offers the photo upload when the camera does not work. */
    uploadInstead: string
  }
  /** Binding a face from two photos (`FaceEnrollment`). */
  faceEnrollment: {
    title: string
    /** Before the first photo. */
    introBase: string
    /** Before the second photo. */
    introCompare: string
    /** `{n}`: 1 or 2. */
    photoCount: string
    /** Goes back to the first photo. */
    retakeFirst: string
    /** While the photos are sent. */
    uploading: string
    /** While the server compares them. */
    checking: string
    /** The accessible name of the upload progress bar. */
    progressLabel: string
    doneTitle: string
    doneIntro: string
    /** The account cannot bind a face now (the text is the error message). */
    unavailableTitle: string
    /** A signed-in user whose sign-in is too old proves a factor again. */
    reverifyTitle: string
    reverifyIntro: string
  }
  /** Finishing a sign-in with a photo (`FaceChallenge`). */
  faceChallenge: {
    title: string
    intro: string
    /** While the photo is sent. */
    uploading: string
    /** While the server compares it. */
    checking: string
    /** The accessible name of the upload progress bar. */
    progressLabel: string
    verifiedTitle: string
    /** Face cannot finish this sign-in. */
    unavailableTitle: string
    unavailableBody: string
  }
  /** The text shown and announced for each error code. */
  errors: Record<MfaErrorCode, string>
}

/** Replacements for any strings, by section; what is left out keeps the locale's text. */
export type MfaMessagesOverride = { [S in keyof MfaMessages]?: Partial<MfaMessages[S]> }
