// The TanStack Query APIs the hooks use, imported in this one module (see ./peer).
export { MutationObserver, QueryClient, QueryClientContext, queryOptions, useQuery } from '@tanstack/react-query'
