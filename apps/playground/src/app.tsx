import { useEffect, useState } from 'react'
import { CustomPage } from './custom-page'
import { GuardPage, SettingsPage } from './guard-page'
import { Inbox } from './inbox'

const PAGES = {
  guard: { title: 'Drop-in guard', render: () => <GuardPage /> },
  custom: { title: 'Custom, from hooks', render: () => <CustomPage /> },
  settings: { title: 'Security settings', render: () => <SettingsPage /> },
} as const

type Page = keyof typeof PAGES

const pageFromHash = (): Page => {
  const name = window.location.hash.replace(/^#\/?/, '')
  return name in PAGES ? (name as Page) : 'guard'
}

/** The playground: the kit's pages beside the demo inbox. Pages are addressed by the URL hash. */
export function App() {
  const [page, setPage] = useState<Page>(pageFromHash)
  useEffect(() => {
    const follow = () => setPage(pageFromHash())
    window.addEventListener('hashchange', follow)
    return () => window.removeEventListener('hashchange', follow)
  }, [])
  useEffect(() => {
    document.title = `${PAGES[page].title} · mfa-kit playground`
  }, [page])

  return (
    <div className="pg-layout">
      <header className="pg-header">
        <p className="pg-brand">mfa-kit playground</p>
        <nav aria-label="Pages">
          <ul>
            {Object.entries(PAGES).map(([name, { title }]) => (
              <li key={name}>
                <a href={`#/${name}`} aria-current={name === page ? 'page' : undefined}>
                  {title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main className="pg-main">
        <h1>{PAGES[page].title}</h1>
        {PAGES[page].render()}
      </main>
      <Inbox />
    </div>
  )
}
