//! A new file that only its owner (and, on Windows, the system and the administrators) may
//! read, restricted before anything is written into it: for the keys a LAN host and its desks
//! are known by. On Unix its mode is 0600; on Windows it gets a protected access list of its
//! own, so that the data folder's permissions (often readable by every user of the PC) are not
//! inherited.

use std::fs::File;
use std::io;
use std::path::Path;

/// Creates `path` (which must not exist) for writing, readable by its owner alone.
pub fn create_private(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    #[cfg(windows)]
    if let Err(e) = windows_acl::restrict_to_owner(path) {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(file)
}

#[cfg(windows)]
pub mod windows_acl {
    use std::io;
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr::{null, null_mut};
    use windows_sys::Win32::Foundation::{CloseHandle, LocalFree, ERROR_SUCCESS, HANDLE};
    use windows_sys::Win32::Security::Authorization::{
        ConvertSecurityDescriptorToStringSecurityDescriptorW, ConvertSidToStringSidW,
        ConvertStringSecurityDescriptorToSecurityDescriptorW, GetNamedSecurityInfoW,
        SetNamedSecurityInfoW, SDDL_REVISION_1, SE_FILE_OBJECT,
    };
    use windows_sys::Win32::Security::{
        GetSecurityDescriptorDacl, GetTokenInformation, TokenUser, ACL, DACL_SECURITY_INFORMATION,
        PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, TOKEN_QUERY, TOKEN_USER,
    };
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

    /// Full control for this account, the system (SY) and the administrators (BA); `P`: nothing
    /// inherited from the folder.
    pub fn owner_only(user_sid: &str) -> String {
        format!("D:P(A;;FA;;;{user_sid})(A;;FA;;;SY)(A;;FA;;;BA)")
    }

    fn wide(text: &std::ffi::OsStr) -> Vec<u16> {
        text.encode_wide().chain([0]).collect()
    }

    /// The SID of the account this program runs as, as text (S-1-5-21-…).
    pub fn this_account() -> io::Result<String> {
        let mut token: HANDLE = null_mut();
        // SAFETY: out-pointers to locals; the token is closed and the string freed below.
        unsafe {
            if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
                return Err(io::Error::last_os_error());
            }
            let mut buffer = vec![0u64; 128];
            let mut needed = 0u32;
            let read = GetTokenInformation(
                token,
                TokenUser,
                buffer.as_mut_ptr().cast(),
                (buffer.len() * 8) as u32,
                &mut needed,
            );
            CloseHandle(token);
            if read == 0 {
                return Err(io::Error::last_os_error());
            }
            let user = &*(buffer.as_ptr() as *const TOKEN_USER);
            let mut text: *mut u16 = null_mut();
            if ConvertSidToStringSidW(user.User.Sid, &mut text) == 0 {
                return Err(io::Error::last_os_error());
            }
            let sid = from_wide(text);
            LocalFree(text.cast());
            Ok(sid)
        }
    }

    /// A NUL-terminated UTF-16 string.
    ///
    /// # Safety
    /// `text` must point at a NUL-terminated string.
    unsafe fn from_wide(text: *const u16) -> String {
        let len = (0..).take_while(|&i| *text.add(i) != 0).count();
        String::from_utf16_lossy(std::slice::from_raw_parts(text, len))
    }

    pub fn restrict_to_owner(path: &Path) -> io::Result<()> {
        let sddl = wide(owner_only(&this_account()?).as_ref());
        let mut descriptor: PSECURITY_DESCRIPTOR = null_mut();
        // SAFETY: the string is NUL-terminated; the descriptor is freed below.
        let made = unsafe {
            ConvertStringSecurityDescriptorToSecurityDescriptorW(
                sddl.as_ptr(),
                SDDL_REVISION_1,
                &mut descriptor,
                null_mut(),
            )
        };
        if made == 0 {
            return Err(io::Error::last_os_error());
        }
        let (mut present, mut defaulted) = (0, 0);
        let mut dacl: *mut ACL = null_mut();
        // SAFETY: `descriptor` was made above; `dacl` points into it while it lives.
        let status = unsafe {
            if GetSecurityDescriptorDacl(descriptor, &mut present, &mut dacl, &mut defaulted) == 0 {
                Err(io::Error::last_os_error())
            } else {
                let name = wide(path.as_os_str());
                match SetNamedSecurityInfoW(
                    name.as_ptr(),
                    SE_FILE_OBJECT,
                    DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                    null_mut(),
                    null_mut(),
                    dacl,
                    null(),
                ) {
                    ERROR_SUCCESS => Ok(()),
                    error => Err(io::Error::from_raw_os_error(error as i32)),
                }
            }
        };
        // SAFETY: allocated by ConvertStringSecurityDescriptorToSecurityDescriptorW.
        unsafe { LocalFree(descriptor) };
        status
    }

    /// The file's access list as SDDL text (for the tests and for IT's questions).
    pub fn access_list(path: &Path) -> io::Result<String> {
        let name = wide(path.as_os_str());
        let mut descriptor: PSECURITY_DESCRIPTOR = null_mut();
        let mut dacl: *mut ACL = null_mut();
        // SAFETY: out-pointers to locals; the descriptor is freed below.
        let status = unsafe {
            GetNamedSecurityInfoW(
                name.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION,
                null_mut(),
                null_mut(),
                &mut dacl,
                null_mut(),
                &mut descriptor,
            )
        };
        if status != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(status as i32));
        }
        let mut text: *mut u16 = null_mut();
        // SAFETY: `descriptor` came from GetNamedSecurityInfoW; `text` is freed below.
        unsafe {
            let converted = ConvertSecurityDescriptorToStringSecurityDescriptorW(
                descriptor,
                SDDL_REVISION_1,
                DACL_SECURITY_INFORMATION,
                &mut text,
                null_mut(),
            );
            let out = if converted == 0 {
                Err(io::Error::last_os_error())
            } else {
                Ok(from_wide(text))
            };
            if !text.is_null() {
                LocalFree(text.cast());
            }
            LocalFree(descriptor);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_file_is_for_its_owner_alone_and_never_written_through_an_existing_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("密钥").join("lan_key.pem");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        {
            use std::io::Write;
            let mut file = create_private(&path).unwrap();
            file.write_all(b"secret").unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"secret");
        assert_eq!(
            create_private(&path).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Wine takes the access list and keeps the Linux file's mode: there only the call is
        // checked (it succeeded above); on Windows the list read back.
        #[cfg(windows)]
        if !under_wine() {
            let sddl = windows_acl::access_list(&path).unwrap();
            assert!(sddl.starts_with("D:P"), "inherits from its folder: {sddl}");
            for everyone in [";;;WD)", ";;;BU)", ";;;AU)"] {
                assert!(!sddl.contains(everyone), "{sddl}");
            }
        }
    }

    /// Whether this Windows program runs under Wine (its ntdll says so).
    #[cfg(windows)]
    fn under_wine() -> bool {
        use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleA, GetProcAddress};
        // SAFETY: NUL-terminated names; ntdll is loaded in every process.
        unsafe {
            let ntdll = GetModuleHandleA(c"ntdll.dll".as_ptr().cast());
            !ntdll.is_null() && GetProcAddress(ntdll, c"wine_get_version".as_ptr().cast()).is_some()
        }
    }
}
