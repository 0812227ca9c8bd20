@echo off
rem 点検.bat: このフォルダの「例規集」にある例規を点検し、「点検結果」にチェックリストと
rem HTML レポートを書き出して、レポートを開きます。フォルダをこのファイルの上に
rem ドラッグ＆ドロップすると、そのフォルダを点検します。
rem （このファイルは Shift_JIS と CRLF で保存されています。編集するときもそのままに。）
setlocal
cd /d "%~dp0"
set "INPUT=%~dp0例規集"
if not "%~1"=="" set "INPUT=%~1"
set "OUT=%~dp0点検結果"
if exist "%INPUT%\" goto scan
mkdir "%INPUT%"
echo 「例規集」フォルダを作りました。例規のファイル（HTML・XML・テキスト）を入れてから、
echo もう一度 点検.bat を実行してください。
echo 見本で試すときは、corpus フォルダを 点検.bat の上にドラッグ＆ドロップします。
if not defined TENKEN_NO_OPEN start "" explorer "%INPUT%"
set "RC=2"
goto end

:scan
"%~dp0tenken.exe" scan "%INPUT%" --out "%OUT%" --html "%OUT%\レポート"
set "RC=%ERRORLEVEL%"
echo.
if "%RC%"=="0" echo 点検が終わりました。チェックリスト: %OUT%\checklist.xlsx
if "%RC%"=="1" echo 点検が終わりました。読めなかったファイルがあります（上の表示と、チェックリストの集計シートを見てください）。
if "%RC%"=="0" goto open
if "%RC%"=="1" goto open
echo 点検できませんでした。上のメッセージを確かめてください。
goto end

:open
if not defined TENKEN_NO_OPEN start "" "%OUT%\レポート\index.html"

:end
if not defined TENKEN_NO_PAUSE pause
exit /b %RC%
