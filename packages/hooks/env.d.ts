// Bundlers replace `process.env.NODE_ENV` with a string; the development-only warnings read it.
// The package type-checks without Node's types, so this is all it knows of `process`.
declare const process: { env: { NODE_ENV?: string } }
