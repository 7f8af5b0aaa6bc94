-- The procedure catalogue (thủ tục hành chính) and the procedures each
-- village features. Codes are the national catalogue's; the two Lao động –
-- TB&XH entries are examples an officer should check against the province's
-- published list (the catalogue is editable).
CREATE TABLE procedures (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    sector           TEXT NOT NULL,
    field            TEXT NOT NULL,
    agency           TEXT NOT NULL DEFAULT '',
    portal           TEXT NOT NULL CHECK (portal IN ('national','provincial')),
    service_level    TEXT NOT NULL CHECK (service_level IN ('full','partial')),
    documents        TEXT NOT NULL DEFAULT '',
    fee              TEXT NOT NULL DEFAULT '',
    processing_days  INTEGER NOT NULL DEFAULT 1,
    retired_on       TEXT,
    version          INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE featured_procedures (
    village_id    INTEGER NOT NULL REFERENCES units (id),
    procedure_id  INTEGER NOT NULL REFERENCES procedures (id),
    since         TEXT NOT NULL,
    PRIMARY KEY (village_id, procedure_id)
);

INSERT INTO procedures (code, name, sector, field, agency, portal, service_level, documents, fee, processing_days) VALUES
    ('2.000815', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản', 'tu_phap', 'chung_thuc', 'UBND cấp xã', 'provincial', 'full', 'Bản chính giấy tờ, văn bản|Bản sao cần chứng thực (hoặc chụp tại chỗ)', '2.000 đồng/trang; từ trang thứ 3: 1.000 đồng/trang', 1),
    ('2.000635', 'Cấp bản sao trích lục hộ tịch', 'tu_phap', 'ho_tich', 'UBND cấp xã', 'national', 'full', 'Căn cước công dân|Thông tin về sự kiện hộ tịch đã đăng ký', '8.000 đồng/bản', 1),
    ('1.000894', 'Đăng ký kết hôn', 'tu_phap', 'ho_tich', 'UBND cấp xã', 'provincial', 'partial', 'Tờ khai đăng ký kết hôn|Căn cước công dân của hai bên|Giấy xác nhận tình trạng hôn nhân (nếu đăng ký ở nơi khác nơi cư trú)', 'Miễn lệ phí', 1),
    ('1.004873', 'Cấp Giấy xác nhận tình trạng hôn nhân', 'tu_phap', 'ho_tich', 'UBND cấp xã', 'national', 'full', 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân|Căn cước công dân|Giấy tờ chứng minh đã ly hôn hoặc vợ/chồng đã mất (nếu có)', 'Theo quy định của tỉnh', 3),
    ('1.001193', 'Đăng ký khai sinh', 'tu_phap', 'ho_tich', 'UBND cấp xã', 'national', 'full', 'Giấy chứng sinh|Căn cước công dân của cha, mẹ|Giấy chứng nhận kết hôn (nếu có)', 'Miễn lệ phí đúng hạn', 1),
    ('1.004194', 'Đăng ký tạm trú', 'cong_an', 'cu_tru', 'Công an cấp xã', 'national', 'full', 'Tờ khai thay đổi thông tin cư trú|Giấy tờ chứng minh chỗ ở hợp pháp', 'Theo quy định (miễn khi nộp trực tuyến theo chính sách từng thời kỳ)', 3),
    ('1.003677', 'Khai báo tạm vắng', 'cong_an', 'cu_tru', 'Công an cấp xã', 'national', 'full', 'Đề nghị khai báo tạm vắng|Căn cước công dân', 'Miễn lệ phí', 1),
    ('1.004222', 'Đăng ký thường trú', 'cong_an', 'cu_tru', 'Công an cấp xã', 'national', 'full', 'Tờ khai thay đổi thông tin cư trú|Giấy tờ chứng minh chỗ ở hợp pháp|Văn bản đồng ý của chủ hộ (nếu nhập vào hộ đã có)', 'Theo quy định', 7),
    ('1.010041', 'Xác nhận thông tin về cư trú', 'cong_an', 'cu_tru', 'Công an cấp xã', 'national', 'full', 'Đề nghị xác nhận thông tin về cư trú|Căn cước công dân', 'Miễn lệ phí', 1),
    ('1.001776', 'Giải quyết trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội', 'lao_dong_tbxh', 'bao_tro_xa_hoi', 'UBND cấp xã', 'provincial', 'partial', 'Tờ khai đề nghị trợ cấp xã hội|Giấy tờ chứng minh thuộc đối tượng', 'Miễn lệ phí', 15),
    ('1.010805', 'Giải quyết chế độ trợ cấp một lần đối với thân nhân người có công', 'lao_dong_tbxh', 'nguoi_co_cong', 'UBND cấp xã', 'provincial', 'partial', 'Bản khai của thân nhân|Giấy tờ chứng minh quan hệ với người có công', 'Miễn lệ phí', 20);
