import { describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES, readBodyText, trustContentLength } from './body'

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request('http://mfa.test/api/v2/sms/send', { method: 'POST', body, headers })
}

function streamOf(text: string, chunk = 4096): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  return new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.length; at += chunk) controller.enqueue(bytes.slice(at, at + chunk))
      controller.close()
    },
  })
}

function streamed(text: string, headers: Record<string, string> = {}): Request {
  return new Request('http://mfa.test/api/v2/sms/send', { method: 'POST', body: streamOf(text), headers, duplex: 'half' } as RequestInit)
}

describe('bodies whose Content-Length the transport enforces', () => {
  it('reads the body in one piece', async () => {
    const text = JSON.stringify({ phone: '13800000000', note: 'é'.repeat(1000) })
    const request = post(text, { 'content-length': String(new TextEncoder().encode(text).length) })
    trustContentLength(request)
    expect(await readBodyText(request)).toBe(text)
  })

  it('refuses a declared length over the limit before reading', async () => {
    const request = post('{}', { 'content-length': String(MAX_BODY_BYTES + 1) })
    trustContentLength(request)
    await expect(readBodyText(request)).rejects.toMatchObject({ code: 413, httpStatus: 413 })
  })

  it('still refuses a body over the limit that arrived under a smaller declared length', async () => {
    const request = streamed('x'.repeat(MAX_BODY_BYTES + 10), { 'content-length': '10' })
    trustContentLength(request)
    await expect(readBodyText(request)).rejects.toMatchObject({ code: 413 })
  })

  it('answers 400 for a body that is not UTF-8', async () => {
    const request = post(new Uint8Array([0x7b, 0xff, 0x7d]), { 'content-length': '3' })
    trustContentLength(request)
    await expect(readBodyText(request)).rejects.toMatchObject({ code: 400, message: 'The request body is not valid UTF-8' })
  })
})

describe('bodies whose Content-Length nobody enforces', () => {
  it('counts the stream and stops at the limit even when the declared length is small', async () => {
    const request = streamed('x'.repeat(MAX_BODY_BYTES + 10), { 'content-length': '10' })
    await expect(readBodyText(request)).rejects.toMatchObject({ code: 413 })
    expect(request.body!.locked).toBe(false)
  })

  it('reads a chunked body within the limit', async () => {
    const text = 'y'.repeat(MAX_BODY_BYTES)
    expect(await readBodyText(streamed(text))).toBe(text)
  })
})
