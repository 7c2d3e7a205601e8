// @mfa-kit/ui/face: the face components, apart from the main entry so that apps without face
// download none of it. Import './face.css' (face-capture/face.css) beside styles.css.

export {
  FaceCapture,
  FaceCaptureConfirm,
  FaceCaptureCountdown,
  FaceCaptureGuide,
  FaceCaptureHint,
  FaceCaptureRetake,
  FaceCaptureRoot,
  FaceCaptureShutter,
  FaceCaptureStart,
  FaceCaptureStatus,
  FaceCaptureStill,
  FaceCaptureUpload,
  FaceCaptureVideo,
  FaceCaptureViewport,
  faceCaptureStep,
  useFaceCapture,
} from '../face-capture/face-capture'
export type { FaceCaptureContextValue, FaceCaptureRootProps, FaceCaptureStep, FaceCaptureUploadProps } from '../face-capture/face-capture'
export { cameraHintText } from '../face-capture/hint-text'

export {
  FaceChallenge,
  FaceChallengeCapture,
  FaceChallengeError,
  FaceChallengeProgress,
  FaceChallengeRoot,
  faceChallengeStep,
  useFaceChallenge,
} from '../face-challenge/face-challenge'
export type {
  FaceCaptureOptions,
  FaceChallengeContextValue,
  FaceChallengeRootProps,
  FaceChallengeStep,
} from '../face-challenge/face-challenge'

export {
  FaceEnrollment,
  FaceEnrollmentCapture,
  FaceEnrollmentError,
  FaceEnrollmentPhotoCount,
  FaceEnrollmentProgress,
  FaceEnrollmentRetakeFirst,
  FaceEnrollmentReverify,
  FaceEnrollmentRoot,
  faceEnrollmentStep,
  useFaceEnrollment,
} from '../face-enrollment/face-enrollment'
export type { FaceEnrollmentContextValue, FaceEnrollmentRootProps, FaceEnrollmentStep } from '../face-enrollment/face-enrollment'

// The lazy roots for <MfaGuard> and <MfaSettings> are in the main entry (`LazyFaceChallenge`,
// `LazyFaceEnrollment`): a bundler then never mistakes this entry's code for code loaded up front.
