/** Vite's `?raw` imports: the file's text. Used by tests that compare code with the README. */
declare module '*?raw' {
  const text: string
  export default text
}
