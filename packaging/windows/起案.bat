@echo off
rem 起案.bat: 「点検結果」のチェックリストで見直し方針を「例規改正」とした規定について、
rem 改め文と新旧対照表の案を「点検結果\改正案」に書き出して、新旧対照表を開きます。
rem 例規は「例規集」から読み直します（点検.bat で点検したのと同じフォルダ）。
rem 別のフォルダを点検したときは、そのフォルダをこのファイルの上にドラッグ＆ドロップします。
rem （このファイルは Shift_JIS と CRLF で保存されています。編集するときもそのままに。）
setlocal
cd /d "%~dp0"
set "INPUT=%~dp0例規集"
if not "%~1"=="" set "INPUT=%~1"
set "OUT=%~dp0点検結果"
if exist "%OUT%\checklist.xlsx" goto draft
echo チェックリスト %OUT%\checklist.xlsx がありません。先に 点検.bat で点検してください。
set "RC=2"
goto end

:draft
"%~dp0tenken.exe" draft "%INPUT%" --ledger "%OUT%\checklist.xlsx" --out "%OUT%\改正案"
set "RC=%ERRORLEVEL%"
echo.
if "%RC%"=="0" echo 起案が終わりました。改め文: %OUT%\改正案\amendments.txt
if "%RC%"=="1" echo 起案が終わりました。起案できなかった行があります（上の表示と %OUT%\改正案\not-drafted.csv を見てください）。
if "%RC%"=="0" goto open
if "%RC%"=="1" goto open
echo 起案できませんでした。上のメッセージを確かめてください。
goto end

:open
if not defined TENKEN_NO_OPEN start "" "%OUT%\改正案\index.html"

:end
if not defined TENKEN_NO_PAUSE pause
exit /b %RC%
