// The clerk the end-to-end tests act as: a supervisor made by global-setup with the CLI.
export const CLERK = { login: 'wangzhu', name: '王主任', password: 'chaxun-2026' };
/// A second clerk at the same desk, for visits handed over with 切换账号.
export const DESK_CLERK = { login: 'limei', name: '李梅', password: 'chaxun-2026-lm' };
