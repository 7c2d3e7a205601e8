import { paths } from '@mfa-kit/protocol'
import type { Hono } from 'hono'
import type { RequestEnv } from '../http/client'
import { optionalBoolean, readJsonObject, requireString } from '../http/body'
import { ok, verified } from '../http/respond'
import type { ServerContext } from '../services/context'
import { associateFace, unbindFace, uploadPhoto, verifyFace } from '../services/face'
import { requireAccessToken, requireAnyToken, requireMfaToken } from '../services/tokens'
import { clientOf } from './rest'

/** An upload key, the `url` an upload answered, or an external photo URL. */
const PHOTO_REF_MAX = 2048

export function registerFaceRoutes(app: Hono<RequestEnv>, ctx: ServerContext): void {
  app.post(paths.upload, async (c) => ok(await uploadPhoto(ctx, c.req.raw, clientOf(c))))

  app.post(paths.faceAssociate, async (c) => {
    const credential = await requireAnyToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const photoA = requireString(body, 'photoA', { max: PHOTO_REF_MAX })
    const photoB = requireString(body, 'photoB', { max: PHOTO_REF_MAX })
    // authing-js-sdk sends isExternal; Guard and the MFA component send isExternalPhoto.
    const external = optionalBoolean(body, 'isExternal') === true || optionalBoolean(body, 'isExternalPhoto') === true
    return verified(c.req.raw, await associateFace(ctx, credential, { photoA, photoB, external }))
  })

  app.delete(paths.faceAssociate, async (c) => {
    const credential = await requireAccessToken(ctx, c.req.raw)
    await unbindFace(ctx, credential)
    return ok(null)
  })

  const faceVerify = async (request: Request) => {
    const credential = await requireMfaToken(ctx, request)
    const body = await readJsonObject(request)
    const photo = requireString(body, 'photo', { max: PHOTO_REF_MAX })
    return verified(request, await verifyFace(ctx, credential, photo))
  }
  app.post(paths.faceVerify, (c) => faceVerify(c.req.raw))
  app.post(paths.applicationFaceVerify, (c) => faceVerify(c.req.raw))
}
