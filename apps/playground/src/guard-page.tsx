import { LazyFaceChallenge, LazyFaceEnrollment, MfaGuard, MfaSettings, useMfaGuard } from '@mfa-kit/ui'
import { useState } from 'react'

/** Face is offered through the guard's and the settings page's slots; its code loads on first use. */
const guardComponents = { FaceChallenge: LazyFaceChallenge, FaceEnrollment: LazyFaceEnrollment }
const settingsComponents = { FaceEnrollment: LazyFaceEnrollment }

/**
 * The drop-in: `<MfaGuard>` around a small account dashboard. Signed out it shows the sign-in with
 * sign-up, then the second factor the server asks for, then the dashboard.
 */
export function GuardPage() {
  return (
    <MfaGuard components={guardComponents}>
      <Dashboard />
    </MfaGuard>
  )
}

/** The same guard around the user's own security page. */
export function SettingsPage() {
  return (
    <MfaGuard components={guardComponents}>
      <MfaSettings components={settingsComponents} />
    </MfaGuard>
  )
}

function Dashboard() {
  const { user, signOut, requireStepUp } = useMfaGuard()
  const [transfer, setTransfer] = useState<'idle' | 'done' | 'cancelled'>('idle')
  const sendMoney = async () => {
    try {
      await requireStepUp()
      setTransfer('done')
    } catch {
      setTransfer('cancelled')
    }
  }
  return (
    <section className="pg-card" aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">Your account</h2>
      <p>
        Signed in as <strong>{user?.email ?? user?.username ?? user?.phone}</strong>, with a second factor.
      </p>
      <p>
        A sensitive action asks for the second factor again, in a dialog, before it runs.{' '}
        <button type="button" onClick={() => void sendMoney()}>
          Send money
        </button>
      </p>
      <p role="status" className="pg-message">
        {transfer === 'done' ? 'Verified again: the money is on its way.' : transfer === 'cancelled' ? 'Cancelled: nothing was sent.' : ''}
      </p>
      <p>
        <a href="#/settings">Security settings</a>
      </p>
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
    </section>
  )
}
