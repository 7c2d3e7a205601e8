/**
 * `/graphql/v2` without a GraphQL engine: the SDK reads `data[field]` and ignores the selection set,
 * so the operation is recognised by name and answered with plain JSON. Arguments come from
 * `variables` (inline literals are not supported).
 */

import { graphqlOperations, paths, type GraphqlOperation } from '@mfa-kit/protocol'
import type { Hono } from 'hono'
import type { ClientInfo, RequestEnv } from '../http/client'
import { optionalBoolean, optionalObject, optionalString, readJsonObject, requireString, type JsonObject } from '../http/body'
import { ApiError, errors } from '../http/errors'
import { jsonResponse } from '../http/respond'
import type { ServerContext } from '../services/context'
import { contactTarget, phoneCodeLogin, registerCodeCheck, sendCode } from '../services/oob'
import { requireAccessToken } from '../services/tokens'
import { passwordLogin, register, registerByPhoneCode, userView } from '../services/users'
import { clientOf, emailPurpose } from './rest'

const OPERATIONS = new Set<string>(graphqlOperations)

/** The operation's name: after `mutation`/`query`, else `operationName`, else the first field. */
export function operationName(query: string, declared: unknown): string | null {
  const source = query.replace(/#[^\n\r]*/g, ' ')
  const named = /^\s*(?:mutation|query)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(source)
  if (named) return named[1]!
  if (typeof declared === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(declared)) return declared
  const field = /^\s*(?:(?:mutation|query)\s*(?:\([^)]*\))?\s*)?\{\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(source)
  return field ? field[1]! : null
}

function requireInput(variables: JsonObject): JsonObject {
  const input = optionalObject(variables, 'input')
  if (!input) throw errors.badRequest('Missing variable: input')
  return input
}

/** `forceLogin` / `generateToken`: return a session right away when no MFA applies. */
const wantsLogin = (input: JsonObject) => optionalBoolean(input, 'forceLogin') === true || optionalBoolean(input, 'generateToken') === true

async function run(
  ctx: ServerContext,
  request: Request,
  client: ClientInfo,
  operation: GraphqlOperation,
  variables: JsonObject,
): Promise<unknown> {
  switch (operation) {
    case 'registerByEmail':
    case 'registerByUsername': {
      const input = requireInput(variables)
      const profile = optionalObject(input, 'profile') ?? {}
      const byEmail = operation === 'registerByEmail'
      const nickname = optionalString(profile, 'nickname', { max: 256 })
      const phone = optionalString(profile, 'phone', { max: 64 })
      const phoneCountryCode =
        optionalString(profile, 'phoneCountryCode', { max: 8 }) ?? optionalString(input, 'phoneCountryCode', { max: 8 })
      return register(ctx, client, {
        ...(byEmail
          ? { email: requireString(input, 'email', { max: 320 }) }
          : { username: requireString(input, 'username', { max: 128 }) }),
        password: requireString(input, 'password', { max: 8192 }),
        ...(nickname !== undefined ? { nickname } : {}),
        ...(phone !== undefined ? { phone } : {}),
        ...(phoneCountryCode !== undefined ? { phoneCountryCode } : {}),
        login: wantsLogin(input),
      })
    }
    case 'registerByPhoneCode': {
      const input = requireInput(variables)
      const profile = optionalObject(input, 'profile') ?? {}
      const password = optionalString(input, 'password', { max: 8192 })
      const nickname = optionalString(profile, 'nickname', { max: 256 })
      const phoneCountryCode = optionalString(input, 'phoneCountryCode', { max: 8 })
      return registerByPhoneCode(
        ctx,
        client,
        {
          phone: requireString(input, 'phone', { max: 64 }),
          code: requireString(input, 'code', { max: 64 }),
          ...(phoneCountryCode !== undefined ? { phoneCountryCode } : {}),
          ...(password !== undefined ? { password } : {}),
          ...(nickname !== undefined ? { nickname } : {}),
          login: wantsLogin(input),
        },
        registerCodeCheck(ctx),
      )
    }
    case 'loginByEmail': {
      const input = requireInput(variables)
      return passwordLogin(ctx, 'email', requireString(input, 'email', { max: 320 }), requireString(input, 'password', { max: 8192 }))
    }
    case 'loginByUsername': {
      const input = requireInput(variables)
      return passwordLogin(ctx, 'username', requireString(input, 'username', { max: 128 }), requireString(input, 'password', { max: 8192 }))
    }
    case 'loginByPhonePassword': {
      const input = requireInput(variables)
      return passwordLogin(
        ctx,
        'phone',
        requireString(input, 'phone', { max: 64 }),
        requireString(input, 'password', { max: 8192 }),
        optionalString(input, 'phoneCountryCode', { max: 8 }),
      )
    }
    case 'loginByPhoneCode': {
      const input = requireInput(variables)
      return phoneCodeLogin(
        ctx,
        requireString(input, 'phone', { max: 64 }),
        requireString(input, 'code', { max: 64 }),
        optionalString(input, 'phoneCountryCode', { max: 8 }),
      )
    }
    case 'sendEmail': {
      const { destination } = contactTarget(ctx, 'email', requireString(variables, 'email', { max: 320 }))
      const purpose = emailPurpose(optionalString(variables, 'scene', { max: 64 }))
      await sendCode(ctx, request, client, { channel: 'email', destination, purpose })
      return { code: 200, message: 'OK' }
    }
    case 'user': {
      const credential = await requireAccessToken(ctx, request)
      const user = await ctx.store.getUser(credential.record.userId)
      if (!user) throw errors.loginExpired()
      return userView(ctx, user, { token: credential.token, record: credential.record })
    }
  }
}

function graphqlError(operation: string | null, error: ApiError): Response {
  return jsonResponse(
    {
      errors: [
        {
          message: { code: error.code, message: error.message, data: error.data },
          locations: [],
          ...(operation ? { path: [operation] } : {}),
          extensions: { code: error.code },
        },
      ],
      data: operation ? { [operation]: null } : null,
    },
    error.httpStatus === 500 ? 500 : 200,
  )
}

export function registerGraphqlRoutes(app: Hono<RequestEnv>, ctx: ServerContext): void {
  app.post(paths.graphql, async (c) => {
    let operation: string | null = null
    try {
      const body = await readJsonObject(c.req.raw)
      const query = requireString(body, 'query', { max: 100_000 })
      const variables = optionalObject(body, 'variables') ?? {}
      operation = operationName(query, body.operationName)
      if (operation === null || !OPERATIONS.has(operation)) {
        const unknown = operation
        operation = null
        throw errors.badRequest(
          unknown ? `Unsupported GraphQL operation: ${unknown.slice(0, 64)}` : 'The GraphQL operation could not be recognised',
        )
      }
      const result = await run(ctx, c.req.raw, clientOf(c), operation as GraphqlOperation, variables)
      return jsonResponse({ data: { [operation]: result } })
    } catch (error) {
      if (error instanceof ApiError) return graphqlError(operation, error)
      throw error
    }
  })
}
