import { createContext, useCallback, useContext, useState } from 'react'
import type { ReactElement } from 'react'

export interface Announcer {
  /**
   * Reads `message` out once, politely (after what the screen reader is saying). The same text
   * announced twice is read twice.
   */
  announce: (message: string) => void
  /** The live region. Render it once, before the first announcement; it is visually hidden. */
  region: ReactElement
}

/**
 * A polite live region. Each announcement replaces the region's content with a new node, so
 * screen readers read it even when the text repeats; nothing is read when the region mounts.
 */
export function useAnnouncer(): Announcer {
  const [message, setMessage] = useState<{ text: string; id: number } | null>(null)
  const announce = useCallback((text: string) => setMessage((m) => ({ text, id: (m?.id ?? 0) + 1 })), [])
  const region = (
    <div data-part="announcer" data-mfa-live="" role="status" aria-live="polite" aria-atomic="true">
      {message && <span key={message.id}>{message.text}</span>}
    </div>
  )
  return { announce, region }
}

const AnnounceContext = createContext<(message: string) => void>(() => {})

/** Provides `announce` to the parts of a component. */
export const AnnounceProvider = AnnounceContext.Provider

/** The `announce` of the nearest component root (a no-op outside one). */
export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext)
}
