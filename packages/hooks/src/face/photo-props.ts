import type { ChangeEvent } from 'react'
import type { UploadProgress } from '@mfa-kit/client'
import { mergeProps } from '../utils/compose'
import type { PropGetter } from '../utils/getters'
import { PHOTO_TYPES } from './capture'

/** Props of a `<progress>` for an upload: a fraction while bytes go out, indeterminate otherwise. */
export interface UploadProgressProps {
  max: 1
  /** Between 0 and 1 while uploading; `undefined` (an indeterminate bar) while the server checks. */
  value: number | undefined
}

/** Props of an `<input type="file">` that hands its photo to the flow. */
export interface PhotoFileInputProps {
  type: 'file'
  accept: string
  disabled: boolean
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
}

/** The share of an upload sent, between 0 and 1, or null. */
export const fractionOf = (progress: UploadProgress | null): number | null =>
  progress && progress.total > 0 ? Math.min(1, progress.loaded / progress.total) : null

export const progressGetter =
  (progress: UploadProgress | null): PropGetter<UploadProgressProps> =>
  (props) =>
    mergeProps<UploadProgressProps, NonNullable<typeof props>>({ max: 1, value: fractionOf(progress) ?? undefined }, props)

/**
 * A file input whose chosen photo goes to `take`. The input is emptied right away, so the same
 * file can be chosen again after a refusal.
 */
export const fileInputGetter =
  (disabled: boolean, take: (photo: File) => unknown): PropGetter<PhotoFileInputProps> =>
  (props) =>
    mergeProps<PhotoFileInputProps, NonNullable<typeof props>>(
      {
        type: 'file',
        accept: PHOTO_TYPES,
        disabled,
        onChange: (event) => {
          const file = event.currentTarget.files?.[0]
          event.currentTarget.value = ''
          if (file) void take(file)
        },
      },
      props,
    )
