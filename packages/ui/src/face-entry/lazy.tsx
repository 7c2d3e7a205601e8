import { lazy } from 'react'

/**
 * `FaceChallenge.Root` and `FaceEnrollment.Root`, fetched on first render: what the main entry
 * offers for face, a few hundred bytes, so `<MfaGuard>` can show face without carrying its code.
 * Render them inside a `<Suspense>`.
 */
export const LazyFaceChallenge = lazy(() => import('../face-challenge/face-challenge').then((m) => ({ default: m.FaceChallengeRoot })))
export const LazyFaceEnrollment = lazy(() => import('../face-enrollment/face-enrollment').then((m) => ({ default: m.FaceEnrollmentRoot })))
