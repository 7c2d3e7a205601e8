// @mfa-kit/hooks/face: the face hooks, apart from the main entry so that apps without face
// download none of it. They need the <MfaProvider> of the main entry.

export { useCamera } from './use-camera'
export type {
  CameraData,
  CameraSnapshot,
  CameraVideoProps,
  MediaDevicesSource,
  PermissionsSource,
  UseCameraOptions,
  UseCameraResult,
  WebcamProps,
} from './use-camera'
export { cameraFailureOf, cameraInitialState, cameraReducer, cameraSupportFailure } from './camera.reducer'
export type { CameraEvent, CameraPermission, CameraProblem, CameraState, CameraStatus } from './camera.reducer'
export { browserOf, cameraHint, osOf } from './camera-hint'
export type { CameraBrowser, CameraHint, CameraOs } from './camera-hint'
export { captureFrame, PHOTO_TYPES } from './capture'
export type { CaptureFrameOptions } from './capture'

export { useFaceBinding } from './use-face-binding'
export type { FaceBindingData, FaceBindingSnapshot, UseFaceBindingOptions, UseFaceBindingResult } from './use-face-binding'
export { faceBindingInitialState, faceBindingReducer } from './face-binding.reducer'
export type { FaceBindingEvent, FaceBindingState, FaceBindingStatus } from './face-binding.reducer'

export { useFaceVerify } from './use-face-verify'
export type { FaceVerifyData, FaceVerifySnapshot, UseFaceVerifyOptions, UseFaceVerifyResult } from './use-face-verify'
export { faceVerifyInitialState, faceVerifyReducer } from './face-verify.reducer'
export type { FaceVerifyEvent, FaceVerifyState, FaceVerifyStatus } from './face-verify.reducer'

export type { PhotoFileInputProps, UploadProgressProps } from './photo-props'

export { createFacePrecheck } from './precheck'
export type { FacePrecheck, FacePrecheckInput, FacePrecheckOptions, FacePrecheckResult } from './precheck'
export { useFacePrecheck } from './use-face-precheck'
export type { FacePrecheckStatus, UseFacePrecheckResult } from './use-face-precheck'
