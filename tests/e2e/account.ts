// The clerk the end-to-end tests act as: a supervisor made by global-setup with the CLI.
export const CLERK = { login: 'wangzhu', name: '王主任', password: 'chaxun-2026' };
