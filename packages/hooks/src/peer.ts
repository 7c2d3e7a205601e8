// The React APIs the hooks use, imported in this one module so that the published bundle
// names the peer once rather than once per file.
export {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
