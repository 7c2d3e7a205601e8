import { paths } from '@mfa-kit/protocol'
import type { Hono } from 'hono'
import { optionalString, readJsonObject, requireString } from '../http/body'
import { errors } from '../http/errors'
import { ok, verified } from '../http/respond'
import type { ServerContext } from '../services/context'
import { canonicalDestination, checkBindable, sendCode, verifyCode, type CodePurpose } from '../services/oob'
import { requireAccessToken, requireAnyToken, requireMfaToken } from '../services/tokens'
import { associate, confirm, listAuthenticators, unbind, verifyRecoveryCode, verifyTotp } from '../services/totp'
import { canonicalCountryCode } from '../services/users'

const SMS_SCENES: Record<string, CodePurpose> = {
  'mfa-verify': 'mfa',
  'mfa-bind': 'mfa',
  'mfa-unbind': 'mfa',
  login: 'login',
}

export const EMAIL_SCENES: Record<string, CodePurpose> = {
  MFA_VERIFY: 'mfa',
  MFA_VERIFY_CODE: 'mfa',
  VERIFY_CODE: 'any',
}

export function smsPurpose(scene: string | undefined): CodePurpose {
  if (scene === undefined) return 'any'
  const purpose = Object.hasOwn(SMS_SCENES, scene) ? SMS_SCENES[scene] : undefined
  if (!purpose) throw errors.badRequest('This SMS scene is not supported by this server')
  return purpose
}

export function emailPurpose(scene: string | undefined): CodePurpose {
  if (scene === undefined) return 'any'
  const purpose = Object.hasOwn(EMAIL_SCENES, scene) ? EMAIL_SCENES[scene] : undefined
  if (!purpose) throw errors.badRequest('This email scene is not supported by this server')
  return purpose
}

const CODE_MAX = 64

export function registerRestRoutes(app: Hono, ctx: ServerContext): void {
  app.get(paths.authenticators, async (c) => {
    const credential = await requireAnyToken(ctx, c.req.raw)
    const type = c.req.query('type') ?? c.req.query('authenticator_type')
    return ok(await listAuthenticators(ctx, credential, type))
  })

  app.post(paths.totpAssociate, async (c) => {
    const credential = await requireAnyToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const type = optionalString(body, 'authenticator_type')
    optionalString(body, 'source')
    if (type !== undefined && type.toLowerCase() !== 'totp') throw errors.badRequest('Only authenticator_type "totp" is supported')
    return ok(await associate(ctx, credential))
  })

  app.delete(paths.totpAssociate, async (c) => {
    const credential = await requireAccessToken(ctx, c.req.raw)
    await unbind(ctx, credential)
    return ok(null)
  })

  app.post(paths.totpAssociateConfirm, async (c) => {
    const credential = await requireAnyToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const code = requireString(body, 'totp', { max: CODE_MAX })
    return ok(await confirm(ctx, credential, code))
  })

  const totpVerify = async (request: Request) => {
    const credential = await requireMfaToken(ctx, request)
    const body = await readJsonObject(request)
    const code = requireString(body, 'totp', { max: CODE_MAX })
    return verified(request, await verifyTotp(ctx, credential, code))
  }
  app.post(paths.totpVerify, (c) => totpVerify(c.req.raw))
  app.post(paths.applicationTotpVerify, (c) => totpVerify(c.req.raw))

  app.post(paths.totpRecovery, async (c) => {
    const credential = await requireMfaToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const code = requireString(body, 'recoveryCode', { max: 256 })
    const result = await verifyRecoveryCode(ctx, credential, code)
    return ok(result.user, { recoveryCode: result.recoveryCode })
  })

  app.post(paths.applicationSmsVerify, async (c) => {
    const credential = await requireMfaToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const phone = requireString(body, 'phone', { max: 64 })
    const code = requireString(body, 'code', { max: CODE_MAX })
    const countryCode = canonicalCountryCode(optionalString(body, 'phoneCountryCode', { max: 8 }))
    return verified(c.req.raw, await verifyCode(ctx, credential, 'sms', phone, code, countryCode))
  })

  app.post(paths.applicationEmailVerify, async (c) => {
    const credential = await requireMfaToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const email = requireString(body, 'email', { max: 320 })
    const code = requireString(body, 'code', { max: CODE_MAX })
    return verified(c.req.raw, await verifyCode(ctx, credential, 'email', email, code, null))
  })

  app.post(paths.applicationCheck, async (c) => {
    const credential = await requireMfaToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const phone = optionalString(body, 'phone', { max: 64 })
    const email = optionalString(body, 'email', { max: 320 })
    return ok(await checkBindable(ctx, credential, phone, email))
  })

  app.post(paths.smsSend, async (c) => {
    const body = await readJsonObject(c.req.raw)
    const phone = canonicalDestination('sms', requireString(body, 'phone', { max: 64 }))
    const countryCode = canonicalCountryCode(optionalString(body, 'phoneCountryCode', { max: 8 }))
    const purpose = smsPurpose(optionalString(body, 'scene', { max: 64 }))
    return ok(await sendCode(ctx, c.req.raw, { channel: 'sms', destination: phone, countryCode, purpose }))
  })

  app.post(paths.emailSend, async (c) => {
    const body = await readJsonObject(c.req.raw)
    const email = canonicalDestination('email', requireString(body, 'email', { max: 320 }))
    const purpose = emailPurpose(optionalString(body, 'scene', { max: 64 }))
    return ok(await sendCode(ctx, c.req.raw, { channel: 'email', destination: email, countryCode: null, purpose }))
  })

  app.get(paths.wellKnown, async () => {
    const { publicKeyPem } = await ctx.rsa()
    return ok({ publicKey: publicKeyPem })
  })
}

export function registerDevRoutes(app: Hono, ctx: ServerContext): void {
  const outbox = ctx.outbox
  if (!outbox) return
  app.get(paths.devOutbox, () => ok(outbox.list()))
  app.delete(paths.devOutbox, () => {
    outbox.clear()
    return ok(null)
  })
}
