import { paths } from '@mfa-kit/protocol'
import { describe, expect, it } from 'vitest'
import { createHarness } from '../harness.testing'
import { MAX_BODY_BYTES, readBodyText } from './body'

const URL_SMS_SEND = `http://mfa.test${paths.smsSend}`
const oversized = () => 'x'.repeat(MAX_BODY_BYTES + 1024)

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(URL_SMS_SEND, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } })
}

describe('request bodies', () => {
  it('answers 413 for an oversized clone while the caller keeps the original, which stays readable', async () => {
    const h = createHarness()
    const original = post(oversized())
    const copy = original.clone()
    const response = await h.server.fetch(copy)
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ code: 413, message: `The request body is larger than ${MAX_BODY_BYTES} bytes`, data: null })
    expect((await original.text()).length).toBe(MAX_BODY_BYTES + 1024)
  })

  it('answers 413 for an oversized original while the caller keeps its clone', async () => {
    const h = createHarness()
    const original = post(oversized())
    const copy = original.clone()
    expect((await h.server.fetch(original)).status).toBe(413)
    expect((await copy.text()).length).toBe(MAX_BODY_BYTES + 1024)
  })

  it('cancels and releases the stream it stopped reading', async () => {
    const original = post(oversized())
    const copy = original.clone()
    await expect(readBodyText(copy)).rejects.toMatchObject({ code: 413, httpStatus: 413 })
    expect(copy.body!.locked).toBe(false)
    expect(await copy.body!.getReader().read()).toEqual({ done: true, value: undefined })
  })

  it('cancels and releases a body refused by its declared Content-Length', async () => {
    const original = post('{"phone":"13800000000"}', { 'content-length': String(MAX_BODY_BYTES + 1) })
    const copy = original.clone()
    await expect(readBodyText(copy)).rejects.toMatchObject({ code: 413 })
    expect(copy.body!.locked).toBe(false)
    expect(await copy.body!.getReader().read()).toEqual({ done: true, value: undefined })
    expect(await original.text()).toBe('{"phone":"13800000000"}')
  })

  it('reads a clone within the limit like any other request', async () => {
    const h = createHarness()
    const original = post(JSON.stringify({ phone: '13800000000' }))
    const response = await h.server.fetch(original.clone())
    expect(response.status).toBe(200)
    expect((await response.json()).code).toBe(200)
    expect(await original.json()).toEqual({ phone: '13800000000' })
  })
})
