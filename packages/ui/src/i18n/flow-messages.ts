/**
 * The strings of the sign-in, code, guard and settings components: part of `MfaMessages`, kept
 * in their own files (`locales/flows/*`) beside each locale.
 */
export interface MfaFlowMessages {
  /** The name of each factor, as the factor picker, the settings page and the re-verification show it. */
  factors: {
    OTP: string
    SMS: string
    EMAIL: string
    FACE: string
    PASSKEY: string
  }
  /** The list of factors a sign-in can finish with (`FactorPicker`). */
  factorPicker: {
    /** The accessible name of the list. */
    label: string
    /** A factor that must be set up first. `{name}`: the factor. */
    setUp: string
  }
  /** Codes sent by text message or email, and the form that adds a phone or an email. */
  codeDelivery: {
    smsTitle: string
    emailTitle: string
    /** `{destination}`: the masked phone or email. */
    sentTo: string
    /** Before the first code was sent (when it is not sent by itself). */
    willSendTo: string
    submit: string
    send: string
    sending: string
    resend: string
    /** Under the resend button while it waits. `{duration}`: the time left, such as "45 seconds". */
    resendIn: string
    /** Announced once a code went out. `{destination}`: where. */
    sent: string
    /** Announced when a new code can be asked for. */
    resendReady: string
    bindPhoneTitle: string
    bindPhoneIntro: string
    bindEmailTitle: string
    bindEmailIntro: string
    phoneLabel: string
    emailLabel: string
    /** The label of the calling-code picker beside the phone number. */
    countryCodeLabel: string
    /** While the server checks the number or address typed. */
    checking: string
    unavailablePhone: string
    unavailableEmail: string
    changePhone: string
    changeEmail: string
    verifiedTitle: string
    /** Once a phone or email was added from the settings. `{destination}`: the masked destination. */
    added: string
  }
  /** The sign-in and sign-up form (`PasswordSignIn`). */
  signIn: {
    title: string
    accountLabel: string
    passwordLabel: string
    submit: string
    submitting: string
    /** Before the link to sign-up. */
    noAccount: string
    toSignUp: string
    signUpTitle: string
    emailLabel: string
    newPasswordLabel: string
    /** Under the new password. `{min}`: the shortest length accepted. */
    passwordHint: string
    signUpSubmit: string
    toSignIn: string
    /** Once the account exists and the user must sign in. */
    created: string
    /** An empty required field. */
    required: string
  }
  /** `<MfaGuard>`. */
  guard: {
    signOut: string
    /** When no factor of the application can be used here. */
    unavailableTitle: string
    unavailableBody: string
  }
  /** A fresh proof of a factor before a change (`Reverification`, the step-up dialog). */
  reverification: {
    title: string
    intro: string
    /** The accessible name of the factor choice. */
    chooseLabel: string
    /** The name of the password, as a way to confirm. */
    password: string
    passwordLabel: string
    totpHint: string
    /** `{destination}`: where the code went. */
    codeHint: string
    passwordHint: string
    send: string
    submit: string
    cancel: string
  }
  /** The security settings page (`MfaSettings`). */
  settings: {
    title: string
    intro: string
    /** The accessible name of the list of methods. */
    listLabel: string
    none: string
    remove: string
    /** `{name}`: the method. */
    removeTitle: string
    removeBody: string
    removeConfirm: string
    keep: string
    /** Announced once a method is gone. `{name}`: the method. */
    removed: string
    addTitle: string
    addTotp: string
    addPhone: string
    addEmail: string
    addFace: string
    cancel: string
    recoveryTitle: string
    recoveryIntro: string
    regenerate: string
    newRecoveryTitle: string
    /** Once the new recovery code was saved. */
    recoverySaved: string
    signedOut: string
  }
}
