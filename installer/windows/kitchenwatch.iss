; Inno Setup script for the Windows installer of the Kitchen Watch console.
; NOT BUILT HERE: the project's machines are Linux. See installer/README.md, "Windows".
;
; installer\windows\build.py compiles it as its last step, after PyInstaller made the one-folder
; bundle dist\kitchenwatch\ (kitchenwatch.exe, _internal\ and _internal\vlc\ with libvlc.dll,
; libvlccore.dll and plugins\) and render_icon.py made build\stage\icon\kitchenwatch.ico:
;   iscc /DAppVersion=<pyproject.toml's version> installer\windows\kitchenwatch.iss

#define AppName "Kitchen Watch"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppExe "kitchenwatch.exe"

[Setup]
AppId={{6C1E7A52-3F0B-4E4B-9C83-5A3A4E0B7D21}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Kitchen Watch
DefaultDirName={autopf}\Kitchen Watch
DefaultGroupName=Kitchen Watch
OutputDir=..\..\dist
OutputBaseFilename=kitchenwatch-{#AppVersion}-setup
SetupIconFile=..\..\build\stage\icon\kitchenwatch.ico
UninstallDisplayIcon={app}\{#AppExe}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Per-machine install; settings, logs and the local database stay per user (%LOCALAPPDATA%).
PrivilegesRequired=admin

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\kitchenwatch\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
; The same installation check the Linux bundle gets; a failure shows in the installer log.
Filename: "{app}\{#AppExe}"; Parameters: "--smoke"; Flags: runhidden waituntilterminated; StatusMsg: "Checking the installation…"
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
