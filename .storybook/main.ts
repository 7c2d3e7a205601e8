import type { StorybookConfig } from '@storybook/react-vite'

const config: StorybookConfig = {
  stories: ['./docs/*.mdx', '../packages/*/src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true },
  typescript: { reactDocgen: 'react-docgen-typescript' },
  // The browser face matcher's models and wasm files, from the installed packages (no CDN). They
  // are fetched only by the stories that match faces.
  staticDirs: [
    { from: '../packages/server/node_modules/@vladmandic/face-api/model', to: '/face-api/model' },
    { from: '../packages/server/node_modules/@vladmandic/face-api/dist', to: '/face-api/dist' },
    { from: '../packages/server/node_modules/@tensorflow/tfjs-backend-wasm/dist', to: '/face-api/wasm' },
  ],
  // face-api's browser build is one ready ES module, which the face stories load from the static
  // folder above: the dependency optimizer leaves it alone (finding it late, it would reload the page).
  viteFinal: (config) => ({
    ...config,
    optimizeDeps: { ...config.optimizeDeps, exclude: [...(config.optimizeDeps?.exclude ?? []), '@vladmandic/face-api'] },
  }),
}

export default config
